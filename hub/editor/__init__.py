"""Writing a practice: the editor, its Word draft and image upload, history actions, the workflow
buttons and experience reports — the pages that bring practices, attachments and uploads together.
"""
