"""The Echo Show screens (APL): today's session one exercise at a time, with its picture, dose
and cues, a progress indicator and Next / Done / It hurts buttons, and the outcome screen with
the plan's QR code and code after a plan is filed.

Screens go only to devices whose request lists `Alexa.Presentation.APL` among the supported
interfaces (`supports_apl`). Documents are Python data (`skill.apl.documents`), pictures and the
QR code are Alexa Vector Graphics built here (`skill.apl.avg`), and `skill.apl.screens` holds the
response interceptor that adds a screen to a turn and the handler for the buttons' events.
"""
