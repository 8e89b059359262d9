"""The one translation layer: every text a person reads goes through ``t``.

German is the default (participants are local business people), English is complete. Error keys
from ``methods.errors`` live here too, so a refused vote reads the same on the phone, the
console and in the API's ``message``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.i18n_pdf import PDF_TEXTS
from methods import registry
from methods.base import Text
from methods.errors import KofferError

DEFAULT = "de"
LANGUAGES = ("de", "en")

TEXTS: dict[str, dict[str, str]] = {
    # --- general ---
    "app.name": {"de": "Moderationskoffer", "en": "Moderationskoffer"},
    "app.tagline": {"de": "Mitmachen in der Sitzung – ohne App, ohne Konto.",
                    "en": "Take part in the meeting – no app, no account."},
    "join.code_label": {"de": "Teilnahme-Code", "en": "Join code"},
    "join.button": {"de": "Teilnehmen", "en": "Join"},
    "join.organizer_link": {"de": "Anmeldung für die Geschäftsstelle", "en": "Organizer login"},
    "join.name_label": {"de": "Ihr Name", "en": "Your name"},
    "join.name_optional": {"de": "Ihr Name (freiwillig)", "en": "Your name (optional)"},
    "join.name_continue": {"de": "Weiter", "en": "Continue"},
    "join.name_skip": {"de": "Ohne Namen weiter", "en": "Continue without name"},
    "join.welcome": {"de": "Willkommen!", "en": "Welcome!"},
    "phone.waiting": {"de": "Gleich geht es los. Bitte schauen Sie nach vorn.",
                      "en": "We will start in a moment. Please look to the front."},
    "phone.step_waiting": {"de": "Dieser Punkt ist noch nicht geöffnet.",
                           "en": "This item is not open yet."},
    "phone.closed": {"de": "Die Eingabe ist geschlossen.", "en": "Input is closed."},
    "phone.saved": {"de": "Gespeichert ✓", "en": "Saved ✓"},
    "phone.saving": {"de": "Wird gespeichert …", "en": "Saving …"},
    "phone.round": {"de": "Runde {round} – bitte erneut abstimmen", "en": "Round {round} – please vote again"},
    "phone.stale": {"de": "Inzwischen ist eine neue Frage da – bitte noch einmal ansehen und tippen.",
                    "en": "A new question has arrived meanwhile – please look again and tap."},
    "phone.retry": {"de": "Nicht gespeichert – bitte noch einmal tippen.", "en": "Not saved – please tap again."},
    "phone.your_vote": {"de": "Ihre Stimme: {label}", "en": "Your vote: {label}"},
    "phone.change_hint": {"de": "Sie können Ihre Stimme ändern, solange die Abstimmung offen ist.",
                          "en": "You can change your vote while voting is open."},
    "phone.ended": {"de": "Die Sitzung ist beendet. Vielen Dank fürs Mitmachen!",
                    "en": "The session has ended. Thank you for taking part!"},
    "phone.results": {"de": "Ergebnis", "en": "Result"},
    "phone.offline": {"de": "Verbindung unterbrochen – wird wiederhergestellt …",
                      "en": "Connection lost – reconnecting …"},
    "phone.timer": {"de": "Noch {time}", "en": "{time} left"},
    "timer.up": {"de": "Zeit ist um", "en": "Time is up"},
    "console.join_at": {"de": "Mitmachen:", "en": "Join at:"},
    "console.code": {"de": "Code", "en": "Code"},
    "console.heads": {"de": "{n} dabei", "en": "{n} joined"},
    "console.voted": {"de": "{n} von {total} haben abgestimmt", "en": "{n} of {total} have voted"},
    "console.contributed": {"de": "{n} Teilnehmende haben etwas eingegeben", "en": "{n} participants have given input"},
    "console.hidden": {"de": "Ergebnis verdeckt", "en": "Result hidden"},
    "console.step_of": {"de": "Punkt {i} von {n}", "en": "Item {i} of {n}"},
    "console.no_steps": {"de": "Diese Sitzung hat noch keine Tagesordnung.",
                         "en": "This session has no agenda yet."},
    "console.draft": {"de": "Noch nicht geöffnet", "en": "Not open yet"},
    "console.open_state": {"de": "Offen – Runde {round}", "en": "Open – round {round}"},
    "console.closed_state": {"de": "Geschlossen – Runde {round}", "en": "Closed – round {round}"},
    "console.ended": {"de": "Sitzung beendet", "en": "Session ended"},
    "console.btn.open": {"de": "Öffnen", "en": "Open"},
    "console.btn.reopen": {"de": "Neue Runde", "en": "New round"},
    "console.btn.close": {"de": "Schließen", "en": "Close"},
    "console.btn.reveal": {"de": "Aufdecken", "en": "Reveal"},
    "console.btn.hide": {"de": "Verdecken", "en": "Hide"},
    "console.btn.prev": {"de": "Zurück", "en": "Previous"},
    "console.btn.next": {"de": "Weiter", "en": "Next"},
    "console.btn.timer": {"de": "Timer", "en": "Timer"},
    "console.btn.timer_stop": {"de": "Timer aus", "en": "Stop timer"},
    "console.timer_closes": {"de": "Schritt bei Ablauf schließen", "en": "Close the step when time is up"},
    "console.timer_closes_hint": {"de": "Der Schritt schließt bei Ablauf", "en": "The step closes when time is up"},
    "console.btn.qr": {"de": "QR ein/aus", "en": "Toggle QR"},
    "console.btn.end": {"de": "Sitzung beenden", "en": "End session"},
    "console.btn.resume": {"de": "Sitzung fortsetzen", "en": "Resume session"},
    "console.btn.edit": {"de": "Tagesordnung", "en": "Agenda"},
    "console.btn.screen": {"de": "Beamer-Link", "en": "Projector link"},
    "console.end_confirm": {"de": "Sitzung beenden? Offene Punkte werden geschlossen.",
                            "en": "End the session? Open items will be closed."},
    "console.cancel": {"de": "Abbrechen", "en": "Cancel"},
    "console.confirm": {"de": "Bestätigen", "en": "Confirm"},
    "console.lan_pick": {"de": "Adresse für Telefone", "en": "Address for phones"},
    "console.lan_warning": {"de": "Keine Netzwerkadresse gefunden – Telefone erreichen diesen Rechner nicht. "
                                  "Bitte mit --public-url starten.",
                            "en": "No network address found – phones cannot reach this computer. "
                                  "Start with --public-url."},
    "console.screen_new": {"de": "Neuer Beamer-Link (der vorige gilt nicht mehr):",
                           "en": "New projector link (the previous one no longer works):"},
    "console.screen_link_copied": {"de": "Beamer-Link: {url}", "en": "Projector link: {url}"},
    "console.votes": {"de": "{n} Stimmen", "en": "{n} votes"},
    # --- organizer ---
    "login.title": {"de": "Anmeldung Geschäftsstelle", "en": "Organizer login"},
    "login.password": {"de": "Passwort", "en": "Password"},
    "login.button": {"de": "Anmelden", "en": "Log in"},
    "login.logout": {"de": "Abmelden", "en": "Log out"},
    "archive.title": {"de": "Archiv der Sitzungen", "en": "Session archive"},
    "archive.new": {"de": "Neue Sitzung", "en": "New session"},
    "archive.import": {"de": "Tagesordnung importieren (JSON)", "en": "Import agenda (JSON)"},
    "archive.search": {"de": "Suche", "en": "Search"},
    "archive.from": {"de": "von", "en": "from"},
    "archive.to": {"de": "bis", "en": "to"},
    "archive.empty": {"de": "Noch keine Sitzungen.", "en": "No sessions yet."},
    "archive.col.title": {"de": "Titel", "en": "Title"},
    "archive.col.date": {"de": "Datum", "en": "Date"},
    "archive.col.place": {"de": "Ort", "en": "Place"},
    "archive.col.state": {"de": "Status", "en": "State"},
    "archive.col.participants": {"de": "Teilnehmende", "en": "Participants"},
    "archive.open_console": {"de": "Konsole öffnen", "en": "Open console"},
    "archive.edit": {"de": "Bearbeiten", "en": "Edit"},
    "archive.keys_title": {"de": "Zugänge dieser Sitzung", "en": "Access links of this session"},
    "archive.keys_hint": {"de": "Diese Links werden nur jetzt angezeigt. Bitte sicher aufbewahren.",
                          "en": "These links are shown only now. Keep them safe."},
    "archive.moderator_link": {"de": "Moderationslink", "en": "Moderator link"},
    "archive.projector_link": {"de": "Beamer-Link", "en": "Projector link"},
    "archive.new_links": {"de": "Neue Zugangslinks", "en": "New access links"},
    "state.planned": {"de": "geplant", "en": "planned"},
    "state.live": {"de": "läuft", "en": "live"},
    "state.ended": {"de": "beendet", "en": "ended"},
    "step.draft": {"de": "Entwurf", "en": "draft"},
    "step.open": {"de": "offen", "en": "open"},
    "step.closed": {"de": "geschlossen", "en": "closed"},
    "edit.items_from": {"de": "Einträge übernehmen aus", "en": "Take the entries from"},
    "edit.items_typed": {"de": "– hier eingetragen –", "en": "– typed here –"},
    "edit.items_top": {"de": "nur die ersten … (leer = alle)", "en": "only the first … (empty = all)"},
    "edit.title": {"de": "Sitzung vorbereiten", "en": "Prepare session"},
    "edit.details": {"de": "Angaben zur Sitzung", "en": "Session details"},
    "edit.session_title": {"de": "Titel", "en": "Title"},
    "edit.date": {"de": "Datum", "en": "Date"},
    "edit.place": {"de": "Ort", "en": "Place"},
    "edit.moderator": {"de": "Moderation", "en": "Moderator"},
    "edit.language": {"de": "Sprache", "en": "Language"},
    "edit.names": {"de": "Namen der Teilnehmenden", "en": "Participant names"},
    "edit.names.none": {"de": "anonym", "en": "anonymous"},
    "edit.names.optional": {"de": "freiwillig", "en": "optional"},
    "edit.names.required": {"de": "verpflichtend", "en": "required"},
    "edit.save": {"de": "Speichern", "en": "Save"},
    "edit.saved": {"de": "Gespeichert", "en": "Saved"},
    "edit.steps": {"de": "Tagesordnung", "en": "Agenda"},
    "edit.add_step": {"de": "Punkt hinzufügen", "en": "Add item"},
    "edit.method": {"de": "Methode", "en": "Method"},
    "edit.step_title": {"de": "Titel des Punkts", "en": "Item title"},
    "edit.config": {"de": "Einstellungen (JSON)", "en": "Settings (JSON)"},
    "edit.remove": {"de": "Entfernen", "en": "Remove"},
    "edit.up": {"de": "Nach oben", "en": "Move up"},
    "edit.down": {"de": "Nach unten", "en": "Move down"},
    "edit.export": {"de": "Tagesordnung exportieren", "en": "Export agenda"},
    "edit.console": {"de": "Zur Konsole", "en": "To the console"},
    "edit.invalid_json": {"de": "Die Einstellungen sind kein gültiges JSON: {error}",
                          "en": "The settings are not valid JSON: {error}"},
    "edit.invalid_config": {"de": "Die Einstellungen sind ungültig: {error}", "en": "The settings are invalid: {error}"},
    "archive.protocol": {"de": "Protokoll (PDF)", "en": "Protocol (PDF)"},
    "archive.agenda": {"de": "Tagesordnung", "en": "Agenda"},
    "archive.json": {"de": "Daten (JSON)", "en": "Data (JSON)"},
    "archive.csv": {"de": "Daten (CSV)", "en": "Data (CSV)"},
    "archive.delete": {"de": "Löschen", "en": "Delete"},
    "archive.delete_confirm": {"de": "Sitzung „{title}“ mit allen Beiträgen und Fotos endgültig löschen?",
                               "en": "Delete session “{title}” with all contributions and photos for good?"},
    "archive.deleted": {"de": "Sitzung gelöscht.", "en": "Session deleted."},
    "archive.retention": {"de": "Automatisch löschen: beendete Sitzungen nach … Tagen (leer = aus)",
                          "en": "Delete automatically: ended sessions after … days (empty = off)"},
    "archive.retention_off": {"de": "Automatisches Löschen ist aus.", "en": "Automatic deletion is off."},
    "archive.retention_on": {"de": "Beendete Sitzungen werden nach {days} Tagen gelöscht.",
                             "en": "Ended sessions are deleted after {days} days."},
    "archive.retention_confirm": {"de": "{n} beendete Sitzung(en) sind älter als {days} Tage und werden jetzt "
                                        "endgültig gelöscht. Fortfahren?",
                                  "en": "{n} ended session(s) are older than {days} days and will be deleted "
                                        "for good now. Continue?"},
    "archive.generating": {"de": "Protokoll wird erstellt …", "en": "Creating protocol …"},
    "console.btn.protocol": {"de": "Protokoll", "en": "Protocol"},
    "console.btn.photo": {"de": "Foto", "en": "Photo"},
    "console.photo_saved": {"de": "Foto gespeichert.", "en": "Photo saved."},
    # --- errors (keys raised in facilitation/ and methods/) ---
    "err.payload_not_object": {"de": "Die Eingabe hat ein ungültiges Format.", "en": "The input has an invalid format."},
    "err.payload_too_large": {"de": "Die Eingabe ist zu groß (höchstens {limit} Bytes).",
                              "en": "The input is too large (at most {limit} bytes)."},
    "err.malformed_json": {"de": "Die Anfrage ist kein gültiges JSON.", "en": "The request is not valid JSON."},
    "err.unknown_option": {"de": "Diese Option gibt es nicht: {option}", "en": "There is no such option: {option}"},
    "err.unknown_join_code": {"de": "Den Code „{code}“ kennen wir nicht. Bitte prüfen Sie die Eingabe.",
                              "en": "We do not know the code “{code}”. Please check it."},
    "err.session_ended": {"de": "Die Sitzung „{title}“ ist beendet.", "en": "The session “{title}” has ended."},
    "err.session_not_ended": {"de": "Die Sitzung läuft noch.", "en": "The session is still running."},
    "err.session_not_found": {"de": "Diese Sitzung gibt es nicht (mehr).", "en": "This session does not exist (any more)."},
    "err.step_not_found": {"de": "Diesen Tagesordnungspunkt gibt es nicht.", "en": "This agenda item does not exist."},
    "err.step_closed": {"de": "Punkt {step} ist geschlossen – Ihre Eingabe wurde nicht gespeichert.",
                        "en": "Item {step} is closed – your input was not saved."},
    "err.step_not_open": {"de": "Punkt {step} ist noch nicht geöffnet.", "en": "Item {step} is not open yet."},
    "err.step_already_open": {"de": "Punkt {step} ist bereits offen.", "en": "Item {step} is already open."},
    "err.step_open_cannot_edit": {"de": "Punkt {step} ist offen und kann gerade nicht bearbeitet werden.",
                                  "en": "Item {step} is open and cannot be edited now."},
    "err.step_has_contributions": {"de": "Zu Punkt {step} gibt es schon Beiträge; er kann nicht entfernt werden.",
                                   "en": "Item {step} already has contributions and cannot be removed."},
    "err.no_steps": {"de": "Die Tagesordnung ist leer.", "en": "The agenda is empty."},
    "err.no_more_steps": {"de": "Hier geht es nicht weiter.", "en": "There is no further item."},
    "err.timer_out_of_range": {"de": "Der Timer darf höchstens {max} Minuten laufen.",
                               "en": "The timer can run for at most {max} minutes."},
    "err.timer_payload": {"de": "Timer: „seconds“ muss eine ganze Zahl (oder null) sein, „close_step“ true oder false.",
                          "en": "Timer: “seconds” must be a whole number (or null), “close_step” true or false."},
    "err.timer_close_needs_open_step": {
        "de": "Punkt {step} ist nicht offen – nur ein offener Punkt kann bei Ablauf schließen.",
        "en": "Step {step} is not open – only an open step can close when the time is up."},
    "err.not_a_participant": {"de": "Sie sind dieser Sitzung nicht beigetreten.", "en": "You have not joined this session."},
    "err.participant_token_required": {"de": "Bitte treten Sie der Sitzung zuerst bei.",
                                       "en": "Please join the session first."},
    "err.name_required": {"de": "Bitte geben Sie Ihren Namen an.", "en": "Please enter your name."},
    "err.wrong_key": {"de": "Der Zugangsschlüssel fehlt oder ist falsch.", "en": "The access key is missing or wrong."},
    "err.wrong_password": {"de": "Das Passwort ist falsch.", "en": "The password is wrong."},
    "err.login_required": {"de": "Bitte melden Sie sich an.", "en": "Please log in."},
    "err.too_many_attempts": {"de": "Zu viele Versuche. Bitte warten Sie {seconds} Sekunden.",
                              "en": "Too many attempts. Please wait {seconds} seconds."},
    "err.unknown_method": {"de": "Unbekannte Methode: {method}", "en": "Unknown method: {method}"},
    "err.items_from_not_earlier": {"de": "Punkt {step} kann seine Einträge nicht aus Punkt {source} übernehmen – "
                                         "nur aus einem früheren Punkt mit Ergebnis.",
                                   "en": "Item {step} cannot take its entries from item {source} – only from an "
                                         "earlier item with a result."},
    "err.items_from_unfinished": {"de": "Punkt {source} („{title}“) ist noch nicht abgeschlossen – bitte erst dort "
                                        "schließen, dann öffnen.",
                                  "en": "Item {source} (“{title}”) is not finished yet – please close it first, "
                                        "then open this one."},
    "err.items_from_empty": {"de": "Punkt {source} („{title}“) hat keine Einträge ergeben, die hier abgestimmt "
                                   "werden könnten.",
                             "en": "Item {source} (“{title}”) produced no entries to vote on here."},
    "err.unknown_command": {"de": "Diesen Befehl kennt die Methode nicht: {command}",
                            "en": "The method has no such command: {command}"},
    "err.command_invalid": {"de": "Die Angaben zum Befehl sind unvollständig oder falsch.",
                            "en": "The command's details are incomplete or wrong."},
    "err.command_not_now": {"de": "Das geht bei Punkt {step} gerade nicht.", "en": "This is not possible for item {step} now."},
    "err.unknown_action": {"de": "Unbekannte Aktion: {action}", "en": "Unknown action: {action}"},
    "err.photo_too_large": {"de": "Das Foto ist zu groß (höchstens {limit_mb} MB).",
                            "en": "The photo is too large (at most {limit_mb} MB)."},
    "err.photo_bad_type": {"de": "Das ist kein lesbares Foto (JPEG, PNG oder WebP).",
                           "en": "This is not a readable photo (JPEG, PNG or WebP)."},
    "err.photo_not_found": {"de": "Dieses Foto gibt es nicht.", "en": "This photo does not exist."},
    "err.retention_out_of_range": {"de": "Bitte 1 bis 3650 Tage angeben.", "en": "Please give 1 to 3650 days."},
    "err.agenda_invalid": {"de": "Die Tagesordnung enthält Fehler.", "en": "The agenda has errors."},
    "err.config_invalid": {"de": "Die Einstellungen enthalten Fehler.", "en": "The settings have errors."},
    "err.unknown_field": {"de": "Unbekanntes Feld: {field}", "en": "Unknown field: {field}"},
    "err.title_required": {"de": "Bitte geben Sie einen Titel an.", "en": "Please enter a title."},
}

TEXTS.update(PDF_TEXTS)

missing: set[str] = set()
"""Keys asked for but not in the catalog; the test suite fails on any (tests/conftest.py)."""

_merged: tuple[int, dict[str, dict[str, str]]] | None = None


def catalog() -> dict[str, dict[str, str]]:
    """The shared texts plus every registered method's own (``TEXTS`` beside its view and its
    board), merged once per registration list."""
    global _merged
    if _merged is None or _merged[0] != registry.generation():
        merged = dict(TEXTS)
        for name in registry.names():
            for layer in ("views", "board"):
                merged.update(method_texts(name, layer))
        _merged = (registry.generation(), merged)
    return _merged[1]


def method_texts(name: str, layer: str) -> dict[str, dict[str, str]]:
    """One method's texts of one layer (``views`` or ``board``)."""
    found: dict[str, dict[str, str]] = registry.part(name, layer, "TEXTS", dict)
    return found


def language(value: str | None) -> str:
    return value if value in LANGUAGES else DEFAULT


def t(key: str, lang: str | None = DEFAULT, /, **params: Any) -> str:
    """Translate ``key``; a missing key shows itself (and is noted in :data:`missing`)."""
    entry = catalog().get(key)
    if entry is None:
        missing.add(key)
        return key
    text = entry.get(language(lang)) or entry[DEFAULT]
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text


def say(text: Text | None, lang: str | None = DEFAULT) -> str:
    """An engine's sentence (key + parameters) in the reader's language; ``""`` for none."""
    return "" if text is None else t(text.key, lang, **dict(text.params))


def translator(lang: str | None) -> Callable[..., str]:
    """``t`` bound to one language, for code that must not know about the catalog (the PDF)."""

    def bound(key: str, **params: Any) -> str:
        return t(key, lang, **params)

    return bound


def error_text(error: Exception, lang: str | None = DEFAULT) -> str:
    if isinstance(error, KofferError):
        return t(f"err.{error.key}", lang, **error.params)
    return str(error)
