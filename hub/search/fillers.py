"""Question words and fillers of German questions: the one list (issue 16, item 1).

Advisers type questions ("wie kriege ich meine Leute dazu, die neue Software zu nutzen"). The
words that make a sentence a question — question words, modal and helper verbs, pronouns,
fillers — never decide whether a practice matches: ``hub.search.parsing`` leaves them out of a
query that has other words. They stay

- when they are the whole query ("Wie", "Was tun"): then they are what was asked;
- inside quotes (a phrase keeps every word it was typed with);
- when marked as required (``+kann``).

Many of them are German stop words already (never indexed); the list names them anyway, so that
it reads as what it is. Folded spelling (``hub.search.analysis.fold``): "können" is "koennen".
"""

from __future__ import annotations

from hub.search.analysis import fold

_WORDS = """
wie was wer wen wem wessen wo wann warum wieso weshalb weswegen welche welcher welches welchen
welchem womit wofür woran wozu wodurch wohin woher worauf worüber wieviel wieviele
ich du er sie es man wir ihr uns mich mir dich dir euch jemand etwas
mein meine meinen meinem meiner meines unser unsere unseren unserem unserer
dein deine deinen sein seine seinen ihre ihren
kann kannst können könnte könnten muss musst müssen müsste sollte sollten soll sollen darf dürfen
will wollen möchte möchten würde würden werde werden wird ist sind bin hat habe haben
gibt gibts geben gebe tun tue tut mache machen macht kriege kriegen kriegt bekomme bekommen
bekommt schaffe schaffen schafft lasse lassen lässt geht gehen finde finden beachten beachte
wenn ob falls dazu damit dabei daran darauf dafür dass bei so viele viel oft immer denn eigentlich überhaupt
mal bitte gerne genau irgendwie am beste besten besser sinnvoll richtig am
"""

FILLERS = frozenset(fold(word) for word in _WORDS.split())


def is_filler(word: str) -> bool:
    """Whether ``word`` (as typed) is a question word or filler."""
    return fold(word) in FILLERS
