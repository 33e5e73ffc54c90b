"""Graded relevance for how advisers really ask (issue 16, item 7): nDCG@10 per kind of query.

Forty write-ups of our own (tests/data/search_advisers/practices, advisory-centre case studies,
practices, methods and lessons for small businesses) are imported next to the demo corpus, with
the synonym groups of tests/data/search_advisers/synonyms.yml added to the demo taxonomy. Every
query carries graded judgments (3 = the answer, 2 = very useful, 1 = related; unlisted write-ups
of the fixture are 0) and is tagged by kind:

- ``question``: questions as advisers type them, with question words and fillers;
- ``multi``: long multi-concept queries whose best write-up lacks one of the words;
- ``compound``: a compound in the query whose parts stand apart in the text
  ("Rechnungseingangsbuch" for "Eingang der Rechnungen … Buch");
- ``sense``: umlaut-folded homographs and Snowball collisions (Förderung / Forderung, Küche /
  Kuchen, Zähler / Zahler, Berater / Beratung);
- ``synonym``: a synonym inside a compound ("Solaranlage" for "Photovoltaikanlage").

nDCG@10 uses gains 2^grade − 1 and is computed on the condensed ranking: hits from the demo
corpus (not judged for these queries) are dropped before the cut at 10, so a relevant demo
write-up never counts against the engine. The test fails when a kind's mean (or the overall
mean) drops below its floor. The floors are today's measured values rounded down to two decimals,
so the suite pins the current engine and catches regressions; issue 16 raises them to at least
0.70 per kind and 0.85 overall. The table of figures and the queries that return nothing at all
are printed (``pytest -s``) and repeated in the assertion message.
"""

from __future__ import annotations

from pathlib import Path

from tests.relevance import assert_floors, check_shape, import_suite, suite_slugs

ADVISERS = Path(__file__).parent / "data" / "search_advisers"

# (kind, query, {slug: grade}) — grades judged by reading the write-ups, as an adviser would.
CASES: list[tuple[str, str, dict[str, int]]] = [
    # questions as typed, question words and fillers included
    ("question", "wie kriege ich meine Leute dazu, die neue Software zu nutzen",
     {"software-akzeptanz-elektrobetrieb": 3, "pflegedoku-tablets-tandems": 2, "kassensystem-filialen-baeckerei": 2,
      "dienstplan-aenderungen-pflegeheim": 1, "mandantenportal-steuerberatung": 1, "ki-mandantenbriefe-steuerkanzlei": 1}),
    ("question", "was tun wenn ältere Mitarbeiter Angst vor Tablets haben",
     {"pflegedoku-tablets-tandems": 3, "software-akzeptanz-elektrobetrieb": 2, "kassensystem-filialen-baeckerei": 1,
      "haccp-digital-kantine": 1}),
    ("question", "wie bekomme ich Fördermittel für neue Software",
     {"foerdermittel-digitalisierung-tischlerei": 3, "foerderung-weiterbildung-pflegehelfer": 1,
      "energieberatung-baeckerei-backoefen": 1, "solarstrom-hofladen-kuehlung": 1}),
    ("question", "wie kann ich Aushilfen schneller einarbeiten",
     {"lernvideos-aushilfen-gastronomie": 3, "kassensystem-filialen-baeckerei": 1, "kompetenzen-erfassen-metallbau": 1}),
    ("question", "was mache ich wenn Kunden ihre Rechnungen nicht bezahlen",
     {"forderungsmanagement-malerbetrieb": 3, "saeumige-zahler-onlineshop": 3}),
    ("question", "wie verhindere ich dass die Kühlung am Wochenende ausfällt",
     {"temperatur-kuehlraeume-metzgerei": 3, "haccp-digital-kantine": 1, "melkroboter-stoerungen-milchhof": 1,
      "solarstrom-hofladen-kuehlung": 1}),
    ("question", "gibt es eine App für das Berichtsheft der Azubis", {"azubi-berichtsheft-digital-elektro": 3}),
    ("question", "wie schütze ich meine Daten vor Erpressungssoftware",
     {"datensicherung-nach-verschluesselung-kanzlei": 3, "mandantenportal-steuerberatung": 1}),
    ("question", "wie kann man Dienste im Pflegeheim tauschen ohne ständige Anrufe",
     {"dienstplan-aenderungen-pflegeheim": 3, "schichtuebergabe-protokoll-pflege": 1}),
    ("question", "kann ich ChatGPT für Briefe an Mandanten nutzen",
     {"ki-mandantenbriefe-steuerkanzlei": 3, "mandantenportal-steuerberatung": 1}),
    ("question", "warum kündigen bei uns so viele Fahrer", {"beschaeftigtenbefragung-spedition": 3}),
    ("question", "wie oft sollte man Maschinen warten lassen",
     {"wartung-maschinen-schreinerei": 3, "melkroboter-stoerungen-milchhof": 2}),
    ("question", "was muss ich bei der E-Rechnung beachten",
     {"e-rechnung-empfang-kfz-werkstatt": 3, "rechnungseingang-kanzlei-mandanten": 2}),
    ("question", "wie kann ich Eier direkt ab Hof verkaufen",
     {"eierautomat-direktvermarktung": 3, "solarstrom-hofladen-kuehlung": 1}),
    ("question", "was muss ich bei der Kassennachschau vom Finanzamt beachten",
     {"kassenbuch-digital-kiosk": 3, "kassensystem-filialen-baeckerei": 1}),
    ("question", "wie kann ich Bestellungen per WhatsApp annehmen",
     {"whatsapp-bestellungen-blumenladen": 3, "kuchen-vorbestellung-konditorei": 1}),
    ("question", "wie finde ich heraus welche Lieferanten zuverlässig sind",
     {"lieferanten-bewerten-bauunternehmen": 3}),
    # long multi-concept queries; the best write-up lacks one of the words
    ("multi", "Reisekosten Belege App Steuerberater Handwerk Monatsabschluss",
     {"belege-app-steuerbuero-dachdecker": 3, "reisekosten-digital-ingenieurbuero": 2, "kassenbuch-digital-kiosk": 1,
      "rechnungseingang-kanzlei-mandanten": 1}),
    ("multi", "Tablet Pflegedokumentation ältere Pflegekräfte Tandem Abrechnung Krankenkasse",
     {"pflegedoku-tablets-tandems": 3, "schichtuebergabe-protokoll-pflege": 1}),
    ("multi", "Arbeitszeit Saisonkräfte App Gärtnerei Lohnabrechnung Mindestlohn Zoll Kontrolle Stundenzettel",
     {"arbeitszeit-app-saisonkraefte-gaertnerei": 3, "software-akzeptanz-elektrobetrieb": 1,
      "lernvideos-aushilfen-gastronomie": 1}),
    ("multi", "Kühlraum Temperatur Sensor Alarm Handy Metzgerei Lebensmittelkontrolle Versicherung",
     {"temperatur-kuehlraeume-metzgerei": 3, "haccp-digital-kantine": 2, "solarstrom-hofladen-kuehlung": 1}),
    ("multi", "Förderung Software Schulung Tischlerei Antrag Zuschuss Bewilligung Handwerkskammer Digitalbonus",
     {"foerdermittel-digitalisierung-tischlerei": 3, "foerderung-weiterbildung-pflegehelfer": 1,
      "energieberatung-baeckerei-backoefen": 1}),
    ("multi", "Mahnung Zahlungserinnerung Abschlagsrechnung Handwerk Liquidität Inkasso Skonto",
     {"forderungsmanagement-malerbetrieb": 3, "saeumige-zahler-onlineshop": 2, "rechnungseingang-kanzlei-mandanten": 1,
      "e-rechnung-empfang-kfz-werkstatt": 1}),
    ("multi", "Küche Bestellungen Monitor Service Wartezeit Restaurant Bondrucker Allergene",
     {"kuechenmonitor-restaurant": 3, "haccp-digital-kantine": 1, "kassensystem-filialen-baeckerei": 1}),
    ("multi", "Photovoltaik Eigenverbrauch Stall Milchkühlung Speicher Energiemanagement Wärmepumpe",
     {"photovoltaik-stalldach-milchviehbetrieb": 3, "solarstrom-hofladen-kuehlung": 2,
      "energieberatung-baeckerei-backoefen": 1, "melkroboter-stoerungen-milchhof": 1}),
    ("multi", "Befragung Fahrer Kündigungen Spedition Betriebsrat anonym Lohn Rampe Wartezeiten Mitarbeiterbindung",
     {"beschaeftigtenbefragung-spedition": 3, "dienstplan-aenderungen-pflegeheim": 1}),
    ("multi", "Lernvideos Smartphone Einarbeitung Aushilfen Kasse Hygiene Biergarten",
     {"lernvideos-aushilfen-gastronomie": 3, "kassensystem-filialen-baeckerei": 1, "haccp-digital-kantine": 1}),
    ("multi", "Sprachmodell Datenschutz Mandanten Rundschreiben Kanzlei Richtlinie Schulung Haftung",
     {"ki-mandantenbriefe-steuerkanzlei": 3, "mandantenportal-steuerberatung": 1,
      "datensicherung-nach-verschluesselung-kanzlei": 1}),
    ("multi", "Zählerstände App Foto Nebenkostenabrechnung Hausverwaltung Mieter Funkzähler Heizkosten",
     {"wasserzaehler-ablesen-app-hausverwaltung": 3, "handyfotos-schadensmeldung-hausverwaltung": 1}),
    ("multi", "Inventur Scanner Barcode Regale Baustoffhandel Warenwirtschaft Stichtag",
     {"inventur-scanner-baumarkt": 3, "kassensystem-filialen-baeckerei": 1}),
    ("multi", "Verkaufsautomat Eier Nudeln Kartenzahlung Dorf Wartung Umsatz Hofladen",
     {"eierautomat-direktvermarktung": 3, "solarstrom-hofladen-kuehlung": 2}),
    ("multi", "Inkasso Kauf auf Rechnung Naturkosmetik Zahlungsarten Retouren Shopsystem",
     {"saeumige-zahler-onlineshop": 3, "forderungsmanagement-malerbetrieb": 1}),
    ("multi", "Floristin Sträuße Bestellung Messenger Fotos Öffnungszeiten Trauerfloristik Lieferung",
     {"whatsapp-bestellungen-blumenladen": 3}),
    # compounds typed in the query whose parts stand apart in the text
    ("compound", "Rechnungseingangsbuch",
     {"rechnungseingang-kanzlei-mandanten": 3, "e-rechnung-empfang-kfz-werkstatt": 1}),
    ("compound", "Maschinenwartungsplan",
     {"wartung-maschinen-schreinerei": 3, "melkroboter-stoerungen-milchhof": 1}),
    ("compound", "Kühlraumtemperaturüberwachung",
     {"temperatur-kuehlraeume-metzgerei": 3, "haccp-digital-kantine": 1}),
    ("compound", "Dienstplantausch Pflegeheim",
     {"dienstplan-aenderungen-pflegeheim": 3, "schichtuebergabe-protokoll-pflege": 1}),
    ("compound", "Lieferantenbewertung", {"lieferanten-bewerten-bauunternehmen": 3}),
    ("compound", "Schichtübergabeprotokoll",
     {"schichtuebergabe-protokoll-pflege": 3, "dienstplan-aenderungen-pflegeheim": 1}),
    ("compound", "Schadensfotos Wohnungsgenossenschaft", {"handyfotos-schadensmeldung-hausverwaltung": 3}),
    ("compound", "Tortenvorbestellung", {"kuchen-vorbestellung-konditorei": 3}),
    ("compound", "Melkroboterstörungen", {"melkroboter-stoerungen-milchhof": 3}),
    ("compound", "Berichtsheftapp", {"azubi-berichtsheft-digital-elektro": 3}),
    ("compound", "Energieverbrauchsmessung Backstube", {"energieberatung-baeckerei-backoefen": 3}),
    ("compound", "Zählerstandsfotos",
     {"wasserzaehler-ablesen-app-hausverwaltung": 3, "handyfotos-schadensmeldung-hausverwaltung": 1}),
    ("compound", "Urlaubsvertretungsplanung", {"kompetenzen-erfassen-metallbau": 3}),
    ("compound", "Kassenbuchapp", {"kassenbuch-digital-kiosk": 3}),
    ("compound", "Lieferantenbewertungsbogen", {"lieferanten-bewerten-bauunternehmen": 3}),
    ("compound", "Eierverkaufsautomat", {"eierautomat-direktvermarktung": 3, "solarstrom-hofladen-kuehlung": 1}),
    ("compound", "Tabletdokumentation Pflege",
     {"pflegedoku-tablets-tandems": 3, "schichtuebergabe-protokoll-pflege": 2, "haccp-digital-kantine": 1}),
    # senses: umlaut-folded homographs and Snowball collisions
    ("sense", "Förderung",
     {"foerdermittel-digitalisierung-tischlerei": 3, "foerderung-weiterbildung-pflegehelfer": 3,
      "energieberatung-baeckerei-backoefen": 1, "solarstrom-hofladen-kuehlung": 1, "kompetenzen-erfassen-metallbau": 1}),
    ("sense", "Forderungen", {"forderungsmanagement-malerbetrieb": 3, "saeumige-zahler-onlineshop": 2}),
    ("sense", "offene Forderungen Handwerk",
     {"forderungsmanagement-malerbetrieb": 3, "saeumige-zahler-onlineshop": 1}),
    ("sense", "Förderprogramm Weiterbildung",
     {"foerderung-weiterbildung-pflegehelfer": 3, "foerdermittel-digitalisierung-tischlerei": 2,
      "kompetenzen-erfassen-metallbau": 1}),
    ("sense", "Berater",
     {"berater-rolle-zukunftszentrum": 3, "energieberatung-baeckerei-backoefen": 2,
      "software-akzeptanz-elektrobetrieb": 1, "photovoltaik-stalldach-milchviehbetrieb": 1}),
    ("sense", "Beratung Kunden Laden", {"videoberatung-fahrradhandel": 3}),
    ("sense", "Küche",
     {"kuechenmonitor-restaurant": 3, "haccp-digital-kantine": 2, "lernvideos-aushilfen-gastronomie": 1}),
    ("sense", "Kuchen", {"kuchen-vorbestellung-konditorei": 3}),
    ("sense", "Zähler ablesen", {"wasserzaehler-ablesen-app-hausverwaltung": 3}),
    ("sense", "säumige Zahler", {"saeumige-zahler-onlineshop": 3, "forderungsmanagement-malerbetrieb": 2}),
    ("sense", "Foerderung Tischlerei", {"foerdermittel-digitalisierung-tischlerei": 3}),
    ("sense", "Zahler", {"saeumige-zahler-onlineshop": 3, "forderungsmanagement-malerbetrieb": 1}),
    ("sense", "Beraterinnen Zentrum", {"berater-rolle-zukunftszentrum": 3, "software-akzeptanz-elektrobetrieb": 1}),
    ("sense", "Zaehler", {"wasserzaehler-ablesen-app-hausverwaltung": 3, "software-akzeptanz-elektrobetrieb": 1}),
    ("sense", "Kuechen", {"kuechenmonitor-restaurant": 3, "haccp-digital-kantine": 2, "lernvideos-aushilfen-gastronomie": 1}),
    ("sense", "Forderung", {"forderungsmanagement-malerbetrieb": 3, "saeumige-zahler-onlineshop": 2}),
    # synonyms inside compounds (groups in tests/data/search_advisers/synonyms.yml)
    ("synonym", "Solaranlage Milchviehbetrieb",
     {"photovoltaik-stalldach-milchviehbetrieb": 3, "solarstrom-hofladen-kuehlung": 1,
      "energieberatung-baeckerei-backoefen": 1}),
    ("synonym", "Photovoltaikanlage Hofladen",
     {"solarstrom-hofladen-kuehlung": 3, "photovoltaik-stalldach-milchviehbetrieb": 1}),
    ("synonym", "PV-Anlage Stalldach", {"photovoltaik-stalldach-milchviehbetrieb": 3}),
    ("synonym", "Solarstrom Milchkühlung",
     {"photovoltaik-stalldach-milchviehbetrieb": 3, "solarstrom-hofladen-kuehlung": 2}),
    ("synonym", "Lehrlingsausbildung Elektro", {"azubi-berichtsheft-digital-elektro": 3}),
    ("synonym", "Lehrlingsberichtsheft", {"azubi-berichtsheft-digital-elektro": 3}),
    ("synonym", "Smartphonefotos Schäden Mieter",
     {"handyfotos-schadensmeldung-hausverwaltung": 3, "wasserzaehler-ablesen-app-hausverwaltung": 1}),
    ("synonym", "Websitebaukasten Friseur", {"homepage-baukasten-friseursalon": 3}),
    ("synonym", "Webseitenbaukasten",
     {"homepage-baukasten-friseursalon": 3, "kuchen-vorbestellung-konditorei": 1}),
    ("synonym", "Mitarbeiterbefragung Spedition", {"beschaeftigtenbefragung-spedition": 3}),
    ("synonym", "Mitarbeiterbefragung",
     {"beschaeftigtenbefragung-spedition": 3, "dienstplan-aenderungen-pflegeheim": 1,
      "schichtuebergabe-protokoll-pflege": 1}),
    ("synonym", "Handyvideos Einarbeitung", {"lernvideos-aushilfen-gastronomie": 3}),
    ("synonym", "ERP Inventur Scanner", {"inventur-scanner-baumarkt": 3, "kassensystem-filialen-baeckerei": 1}),
    ("synonym", "Smartphonebestellungen Blumenladen", {"whatsapp-bestellungen-blumenladen": 3}),
    ("synonym", "Homepageformular Torten", {"kuchen-vorbestellung-konditorei": 3, "homepage-baukasten-friseursalon": 1}),
    ("synonym", "Mitarbeitendenbefragung", {"beschaeftigtenbefragung-spedition": 3}),
]

# Today's nDCG@10 rounded down (the engine before issue 16, measured 2026-12-04: question 0.284,
# multi 0.000, compound 0.000, sense 0.860, synonym 0.071, overall 0.243; 44 of 65 queries return
# nothing). Issue 16 raises every kind to ≥ 0.70 and the overall mean to ≥ 0.85.
# With partial matches by coverage, fillers left out and compounds of the query split by the index
# vocabulary (issue 16 items 1 and 2, measured 2026-12-05 with 14 more queries of these kinds:
# question 0.916, multi 0.889, compound 0.983, sense 0.904, synonym 0.984, overall 0.937; no query
# returns nothing), rounded down. With the senses of item 3 as well (three more sense queries),
# measured 2026-12-05: question 0.916, multi 0.889, compound 0.983, sense 0.963, synonym 0.984,
# overall 0.947; floors rounded down, less 0.01 so a tie resolved otherwise does not fail.
FLOORS = {"question": 0.90, "multi": 0.87, "compound": 0.97, "sense": 0.95, "synonym": 0.97, "overall": 0.93}


def test_the_suite_is_big_and_judged_over_its_own_write_ups():
    """Pins the suite's shape: ≥ 40 write-ups, ≥ 60 graded queries, every kind, judgments on fixture slugs."""
    check_shape(CASES, suite_slugs(ADVISERS), min_practices=40, min_cases=60)


def test_ndcg_per_kind_does_not_drop(session, tmp_path):
    """Pins the ranking quality per kind of query: nDCG@10 per kind and overall stays at or above its floor."""
    import_suite(ADVISERS, tmp_path)
    assert_floors(CASES, suite_slugs(ADVISERS), FLOORS)
