"""The one translation layer: every text a person reads goes through ``t``.

German is the default (participants are local business people), English is complete. Error keys
from ``methods.errors`` live here too, so a refused vote reads the same on the phone, the
console and in the API's ``message``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from app.i18n_pdf import PDF_TEXTS
from app.i18n_room import ROOM_TEXTS
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
    "phone.other_language": {"de": "Deutsch", "en": "English"},
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
    "console.btn.commands": {"de": "Moderation", "en": "Facilitation"},
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
    "console.btn.help": {"de": "Hilfe und Tasten", "en": "Help and keys"},
    "console.help_title": {"de": "Werkzeuge der Konsole", "en": "Console tools"},
    "console.help_keys_title": {"de": "Tastatur und Presenter", "en": "Keyboard and presenter"},
    "console.help_keys": {"de": "→ / Bild ↓ / Leertaste: nächster Schritt (öffnen → schließen → aufdecken → weiter)\n"
                                "← / Bild ↑: zurück zum vorigen Punkt",
                          "en": "→ / Page Down / Space: next step (open → close → reveal → next)\n"
                                "← / Page Up: back to the previous item"},
    "console.hint": {"de": "Tipp: Mit Pfeiltasten oder einem Presenter steuern Sie die Sitzung – "
                           "öffnen, schließen, aufdecken, weiter. Das ?-Symbol erklärt alle Werkzeuge.",
                     "en": "Tip: arrow keys or a presenter drive the meeting – open, close, reveal, next. "
                           "The ? icon explains every tool."},
    "console.hint_ok": {"de": "Verstanden", "en": "Got it"},
    "console.next_open_confirm": {"de": "Punkt {step} ist noch offen. Vor dem Weitergehen schließen?",
                                  "en": "Item {step} is still open. Close it before moving on?"},
    "console.close_and_next": {"de": "Schließen und weiter", "en": "Close and move on"},
    "console.next_keep_open": {"de": "Offen lassen und weiter", "en": "Keep open and move on"},
    "console.new_round_confirm": {"de": "Runde {round} starten? Alle stimmen neu ab; die Ergebnisse von Runde "
                                        "{before} bleiben im Protokoll.",
                                  "en": "Start round {round}? Everyone votes again; the results of round {before} "
                                        "stay in the protocol."},
    "console.refused_hint": {"de": "Bitte den aktuellen Link der Konsole oder des Beamers öffnen – die "
                                   "Geschäftsstelle findet ihn im Archiv unter „Links weitergeben“.",
                             "en": "Please open the current console or projector link – the office finds it in "
                                   "the archive under “Share links”."},
    "console.cancel": {"de": "Abbrechen", "en": "Cancel"},
    "console.confirm": {"de": "Bestätigen", "en": "Confirm"},
    "console.lan_pick": {"de": "Adresse für Telefone", "en": "Address for phones"},
    "console.lan_warning": {"de": "Keine Netzwerkadresse gefunden – Telefone erreichen diesen Rechner nicht. "
                                  "Bitte mit --public-url starten.",
                            "en": "No network address found – phones cannot reach this computer. "
                                  "Start with --public-url."},
    "console.screen_new": {"de": "Neuer Beamer-Link (der vorige gilt nicht mehr):",
                           "en": "New projector link (the previous one no longer works):"},
    "console.screen_title": {"de": "Beamer-Link", "en": "Projector link"},
    "console.screen_hint": {"de": "Diesen Link auf dem Beamer-Rechner öffnen. Er bleibt gültig, "
                                  "so oft Sie ihn hier anzeigen.",
                            "en": "Open this link on the projector's computer. It stays valid however "
                                  "often you show it here."},
    "console.screen_replace": {"de": "Beamer-Link ersetzen", "en": "Replace projector link"},
    "console.screen_replace_confirm": {
        "de": "Beamer-Link ersetzen – der bisherige Beamer muss den neuen Link öffnen. "
              "Mit dem alten Link zeigt er nach dem nächsten Neuladen nur noch eine Fehlermeldung.",
        "en": "Replace the projector link – the current projector must open the new link. "
              "With the old link it only shows an error after its next reload."},
    "console.screen_replaced": {"de": "Beamer-Link ersetzt: der bisherige gilt nicht mehr.",
                                "en": "Projector link replaced: the previous one no longer works."},
    # --- links of a session (archive, editor, console) ---
    "links.title": {"de": "Links weitergeben", "en": "Share links"},
    "links.hint": {"de": "Diese Links lassen sich im Archiv und in der Tagesordnung jederzeit wieder "
                         "anzeigen („Links weitergeben“). Wer den Konsolen-Link hat, steuert die Sitzung.",
                   "en": "These links can be shown again at any time in the archive and the agenda "
                         "(“Share links”). Whoever has the console link runs the session."},
    "links.console": {"de": "Konsole (Moderation)", "en": "Console (moderator)"},
    "links.projector": {"de": "Beamer", "en": "Projector"},
    "links.join": {"de": "Teilnahme-Link für die Telefone", "en": "Join link for the phones"},
    "links.code": {"de": "Teilnahme-Code", "en": "Join code"},
    "links.copy": {"de": "Kopieren", "en": "Copy"},
    "links.copied": {"de": "Kopiert", "en": "Copied"},
    "links.copy_failed": {"de": "Kopieren ging nicht – bitte den Link markieren und kopieren.",
                          "en": "Could not copy – please select the link and copy it."},
    "links.close": {"de": "Schließen", "en": "Close"},
    "links.open_console": {"de": "Konsole öffnen", "en": "Open console"},
    "links.open_projector": {"de": "Beamer öffnen", "en": "Open projector"},
    "links.share": {"de": "Links weitergeben", "en": "Share links"},
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
    "archive.new_links": {"de": "Neue Zugangslinks", "en": "New access links"},
    "state.planned": {"de": "geplant", "en": "planned"},
    "state.live": {"de": "läuft", "en": "live"},
    "state.ended": {"de": "beendet", "en": "ended"},
    "step.draft": {"de": "Entwurf", "en": "draft"},
    "step.open": {"de": "offen", "en": "open"},
    "step.closed": {"de": "geschlossen", "en": "closed"},
    "edit.added": {"de": "Punkt hinzugefügt.", "en": "Item added."},
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
    "edit.invalid_json": {"de": "Die Einstellungen sind kein gültiges JSON: {error}",
                          "en": "The settings are not valid JSON: {error}"},
    "edit.invalid_config": {"de": "Die Einstellungen sind ungültig: {error}", "en": "The settings are invalid: {error}"},
    "archive.participants_one": {"de": "1 Teilnehmende:r", "en": "1 participant"},
    "archive.participants_n": {"de": "{n} Teilnehmende", "en": "{n} participants"},
    "archive.downloads": {"de": "Daten", "en": "Data"},
    "archive.file.protocol": {"de": "protokoll", "en": "protocol"},
    "archive.file.agenda": {"de": "tagesordnung", "en": "agenda"},
    "archive.file.data": {"de": "daten", "en": "data"},
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
    "console.photo_pick": {"de": "Foto auswählen", "en": "Choose a photo"},
    "console.photo_saved": {"de": "Foto gespeichert.", "en": "Photo saved."},
    # --- problems of an agenda or a step's settings (app/problems.py) ---
    "problem.at_step": {"de": "Punkt {n}", "en": "Item {n}"},
    "problem.at_step_title": {"de": "Punkt {n} („{title}“)", "en": "Item {n} (“{title}”)"},
    "problem.number": {"de": "Nr. {n}", "en": "no. {n}"},
    "problem.field.title": {"de": "Titel", "en": "Title"},
    "problem.field.date": {"de": "Datum", "en": "Date"},
    "problem.field.place": {"de": "Ort", "en": "Place"},
    "problem.field.moderator": {"de": "Moderation", "en": "Facilitation"},
    "problem.field.language": {"de": "Sprache", "en": "Language"},
    "problem.field.names": {"de": "Namen der Teilnehmenden", "en": "Participant names"},
    "problem.field.steps": {"de": "Tagesordnung", "en": "Agenda"},
    "problem.field.format": {"de": "Dateiformat", "en": "File format"},
    "problem.field.method": {"de": "Methode", "en": "Method"},
    "problem.field.question": {"de": "Frage", "en": "Question"},
    "problem.field.options": {"de": "Optionen", "en": "Options"},
    "problem.field.proposals": {"de": "Vorschläge", "en": "Proposals"},
    "problem.field.label": {"de": "Beschriftung", "en": "Label"},
    "problem.field.id": {"de": "Kennung", "en": "Id"},
    "problem.field.description": {"de": "Beschreibung", "en": "Description"},
    "problem.field.passive_solution": {"de": "Passivlösung", "en": "Passive solution"},
    "problem.field.scale_max": {"de": "Skala", "en": "Scale"},
    "problem.field.select": {"de": "Anzahl auszuwählender Vorschläge", "en": "Proposals to select"},
    "problem.field.high_threshold": {"de": "Hoher Widerstand ab", "en": "High resistance from"},
    "problem.field.multiple": {"de": "Mehrfachauswahl", "en": "Multiple choice"},
    "problem.field.max_choices": {"de": "Höchstzahl der Optionen", "en": "Most options"},
    "problem.field.items_from": {"de": "Einträge übernehmen aus", "en": "Take the entries from"},
    "problem.field.items": {"de": "Einträge", "en": "Entries"},
    "problem.items_too_few": {"de": "es braucht mindestens {min} Einträge (oder „Einträge übernehmen aus“ "
                                    "einem früheren Punkt).",
                              "en": "at least {min} entries are needed (or take them from an earlier item)."},
    "problem.field.step": {"de": "Punkt", "en": "Item"},
    "problem.field.top": {"de": "nur die ersten", "en": "only the first"},
    "problem.unknown_method": {"de": "Die Methode „{method}“ gibt es hier (noch) nicht. Möglich: {known}.",
                               "en": "There is no method “{method}” here (yet). Possible: {known}."},
    "problem.not_object": {"de": "hat ein ungültiges Format.", "en": "has an invalid format."},
    "problem.missing": {"de": "fehlt.", "en": "is missing."},
    "problem.not_text": {"de": "muss Text sein.", "en": "must be text."},
    "problem.string_type": {"de": "muss Text sein.", "en": "must be text."},
    "problem.string_too_long": {"de": "ist zu lang (höchstens {max_length} Zeichen).",
                                "en": "is too long (at most {max_length} characters)."},
    "problem.string_too_short": {"de": "darf nicht leer sein.", "en": "must not be empty."},
    "problem.not_agenda": {"de": "Das ist keine Tagesordnung des Moderationskoffers.",
                           "en": "This is not a Moderationskoffer agenda."},
    "problem.bad_json": {"de": "Die Datei ist keine lesbare Tagesordnung (kein gültiges JSON).",
                         "en": "The file is not a readable agenda (not valid JSON)."},
    "problem.bad_date": {"de": "muss ein Datum sein (JJJJ-MM-TT).", "en": "must be a date (YYYY-MM-DD)."},
    "problem.one_of": {"de": "muss eines davon sein: {choices}.", "en": "must be one of: {choices}."},
    "problem.not_list": {"de": "muss eine Liste sein.", "en": "must be a list."},
    "problem.list_type": {"de": "muss eine Liste sein.", "en": "must be a list."},
    "problem.too_many_steps": {"de": "hat zu viele Punkte (höchstens {max_length}).",
                               "en": "has too many items (at most {max_length})."},
    "problem.too_short": {"de": "hat zu wenige Einträge (mindestens {min_length}).",
                          "en": "has too few entries (at least {min_length})."},
    "problem.too_long": {"de": "hat zu viele Einträge (höchstens {max_length}).",
                         "en": "has too many entries (at most {max_length})."},
    "problem.extra_forbidden": {"de": "ist keine bekannte Einstellung dieser Methode.",
                                "en": "is not a setting this method knows."},
    "problem.int_parsing": {"de": "muss eine ganze Zahl sein.", "en": "must be a whole number."},
    "problem.int_type": {"de": "muss eine ganze Zahl sein.", "en": "must be a whole number."},
    "problem.int_from_float": {"de": "muss eine ganze Zahl sein.", "en": "must be a whole number."},
    "problem.bool_parsing": {"de": "muss ja oder nein sein (true/false).", "en": "must be yes or no (true/false)."},
    "problem.bool_type": {"de": "muss ja oder nein sein (true/false).", "en": "must be yes or no (true/false)."},
    "problem.greater_than_equal": {"de": "muss mindestens {ge} sein.", "en": "must be at least {ge}."},
    "problem.less_than_equal": {"de": "darf höchstens {le} sein.", "en": "must be at most {le}."},
    "problem.string_pattern_mismatch": {"de": "enthält Zeichen, die hier nicht gehen (nur Buchstaben, Ziffern, - und _).",
                                        "en": "contains characters not allowed here (letters, digits, - and _ only)."},
    "problem.duplicate_option": {"de": "„{id}“ kommt doppelt vor.", "en": "“{id}” appears twice."},
    "problem.duplicate_label": {"de": "„{label}“ steht doppelt da – bitte jede Option nur einmal.",
                                "en": "“{label}” is there twice – please each option only once."},
    "problem.passive_reserved": {"de": "Die Kennung „{id}“ ist für die Passivlösung reserviert.",
                                 "en": "The id “{id}” is reserved for the passive solution."},
    "problem.scale_choice": {"de": "muss 10 (Skala 0–10) oder 2 (Handabwehr 0–2) sein.",
                             "en": "must be 10 (scale 0–10) or 2 (quick hand resistance 0–2)."},
    "problem.select_too_many": {"de": "{select} ist mehr als die {n} Vorschläge.",
                                "en": "{select} is more than the {n} proposals."},
    "problem.threshold_range": {"de": "muss zwischen 1 und {max} liegen.", "en": "must be between 1 and {max}."},
    "problem.max_choices_single": {"de": "geht nur mit Mehrfachauswahl.", "en": "needs multiple choice."},
    "problem.proposals_missing": {"de": "Bitte mindestens einen Vorschlag eintragen oder die Einträge aus einem "
                                        "früheren Punkt übernehmen.",
                                  "en": "Please enter at least one proposal or take the entries from an earlier item."},
    "problem.items_not_earlier": {"de": "muss ein früherer Punkt sein (1 … {last_n}).",
                                  "en": "must be an earlier item (1 … {last_n})."},
    "problem.items_first_step": {"de": "Der erste Punkt kann keine Einträge aus einem früheren übernehmen.",
                                 "en": "The first item cannot take entries from an earlier one."},
    "problem.items_no_offer": {"de": "Punkt {source} liefert keine Einträge, die man übernehmen kann.",
                               "en": "Item {source} yields no entries to take."},
    # --- errors (keys raised in facilitation/ and methods/) ---
    "err.payload_not_object": {"de": "Die Eingabe hat ein ungültiges Format.", "en": "The input has an invalid format."},
    "err.payload_too_large": {"de": "Die Eingabe ist zu groß (höchstens {limit} Bytes).",
                              "en": "The input is too large (at most {limit} bytes)."},
    "err.malformed_json": {"de": "Die Anfrage ist kein gültiges JSON.", "en": "The request is not valid JSON."},
    "err.unknown_option": {"de": "Diese Option gibt es nicht: {option}", "en": "There is no such option: {option}"},
    "err.join_code_missing": {"de": "Bitte geben Sie den Teilnahme-Code ein, der vorne gezeigt wird.",
                              "en": "Please enter the join code shown at the front."},
    "err.unknown_join_code": {"de": "Den Code „{code}“ kennen wir nicht. Bitte prüfen Sie die Eingabe.",
                              "en": "We do not know the code “{code}”. Please check it."},
    "err.session_ended": {"de": "Die Sitzung „{title}“ ist beendet.", "en": "The session “{title}” has ended."},
    "err.session_not_ended": {"de": "Die Sitzung läuft noch.", "en": "The session is still running."},
    "err.session_not_found": {"de": "Diese Sitzung gibt es nicht (mehr).", "en": "This session does not exist (any more)."},
    "err.step_not_found": {"de": "Diesen Tagesordnungspunkt gibt es nicht.", "en": "This agenda item does not exist."},
    "err.step_closed": {"de": "Punkt {step} ist geschlossen – Ihre Eingabe wurde nicht gespeichert.",
                        "en": "Item {step} is closed – your input was not saved."},
    "err.step_not_open": {"de": "Punkt {step} ist noch nicht geöffnet.", "en": "Item {step} is not open yet."},
    "err.detail_results_hidden": {"de": "Das Ergebnis von Punkt {step} ist verdeckt: erst aufdecken, dann Details zeigen.",
                                  "en": "The result of item {step} is hidden: reveal it before showing details."},
    "err.detail_invalid": {"de": "Das Detail muss 1 bis {max} Zeichen lang sein.",
                           "en": "The detail must be 1 to {max} characters long."},
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
    "err.items_from_unusable": {"de": "Was Punkt {source} („{title}“) ergeben hat, reicht hier nicht (Anzahl: {n}) "
                                      "– geben Sie die Einträge selbst ein oder wählen Sie eine andere Quelle.",
                                "en": "What item {source} (“{title}”) produced is not enough here (count: {n}) – "
                                      "enter the entries yourself or choose another source."},
    "err.unknown_command": {"de": "Diesen Befehl kennt die Methode nicht: {command}",
                            "en": "The method has no such command: {command}"},
    "err.command_invalid": {"de": "Die Angaben zum Befehl sind unvollständig oder falsch.",
                            "en": "The command's details are incomplete or wrong."},
    "err.command_not_now": {"de": "Das geht bei Punkt {step} gerade nicht.", "en": "This is not possible for item {step} now."},
    "err.command_moderator_only": {"de": "Das darf nur die Moderation.", "en": "Only the moderator may do this."},
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
TEXTS.update(ROOM_TEXTS)

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


def has(key: str) -> bool:
    """Whether the catalog has ``key`` (for texts that exist only for some names)."""
    return key in catalog()


_PLURAL = re.compile(r"\{(\w+)\|([^|{}]*)\|([^|{}]*)\}")
"""``{cards|Karte|Karten}`` in a text: the first word when the parameter ``cards`` is 1, else the
second ("1 Karte", "0 Karten", "5 Karten"), so a count never reads "1 Karten". Without the
parameter the token stays for the browser component that fills the count in."""


def t(key: str, lang: str | None = DEFAULT, /, **params: Any) -> str:
    """Translate ``key``; a missing key shows itself (and is noted in :data:`missing`)."""
    entry = catalog().get(key)
    if entry is None:
        missing.add(key)
        return key
    text = entry.get(language(lang)) or entry[DEFAULT]
    if "|" in text:
        text = _PLURAL.sub(lambda m: m.group(0) if m.group(1) not in params  # a browser fills it in
                           else m.group(2) if params[m.group(1)] == 1 else m.group(3), text)
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
