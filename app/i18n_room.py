"""Texts of trust in the room: who gets in (head count, closed joining, voting cards), removing a
participant, replaced links, guessing limits and uploads. Merged into ``app.i18n.TEXTS``."""

from __future__ import annotations

ROOM_TEXTS: dict[str, dict[str, str]] = {
    # --- the console's head line and QR panel ---
    "console.heads_of": {"de": "{n} von {expected} dabei", "en": "{n} of {expected} joined"},
    "console.heads_over": {"de": "⚠ {n} dabei – nur {expected} erwartet", "en": "⚠ {n} joined – only {expected} expected"},
    "console.waiting": {"de": "{n} warten", "en": "{n} waiting"},
    "console.join_closed": {"de": "Beitritt geschlossen – bitte bei der Moderation melden",
                            "en": "Joining closed – please ask the facilitator"},
    "console.join_cards": {"de": "Beitritt mit Stimmkarte – ohne Karte bitte bei der Moderation melden",
                           "en": "Join with your voting card – without one, please ask the facilitator"},
    "console.btn.room": {"de": "Teilnehmende", "en": "Participants"},
    # --- the participants dialog ---
    "room.title": {"de": "Teilnehmende", "en": "Participants"},
    "room.head_count": {"de": "Erwartete Personen", "en": "People expected"},
    "room.head_count_save": {"de": "Übernehmen", "en": "Apply"},
    "room.level": {"de": "Beitritt: {level}", "en": "Joining: {level}"},
    "room.close_joining": {"de": "Beitritt schließen", "en": "Close joining"},
    "room.open_joining": {"de": "Beitritt öffnen", "en": "Open joining"},
    "room.over": {"de": "{n} Telefone sind dabei, aber nur {expected} Personen erwartet. Bitte zählen – und "
                        "unbekannte Teilnehmende entfernen oder den Beitritt schließen.",
                  "en": "{n} phones joined but only {expected} people are expected. Please count – and remove "
                        "unknown participants or close joining."},
    "room.waiting_title": {"de": "Warten auf Zulassung ({n})", "en": "Waiting to be let in ({n})"},
    "room.admit": {"de": "Zulassen", "en": "Let in"},
    "room.admit_all": {"de": "Alle zulassen", "en": "Let all in"},
    "room.turn_away": {"de": "Abweisen", "en": "Turn away"},
    "room.number": {"de": "Nr. {n}", "en": "No. {n}"},
    "room.card": {"de": "Karte {n}", "en": "card {n}"},
    "room.since": {"de": "seit {at}", "en": "since {at}"},
    "room.people_title": {"de": "Dabei ({n})", "en": "In ({n})"},
    "room.people_hint": {"de": "Die zuletzt Beigetretenen stehen oben. Die Nummer zeigt das Telefon, solange es "
                               "auf Zulassung wartet.",
                         "en": "The latest to join are at the top. A phone shows its number while it waits to be "
                               "let in."},
    "room.filter": {"de": "Nummer oder Name", "en": "Number or name"},
    "room.inputs": {"de": "{n} Eingaben", "en": "{n} inputs"},
    "room.remove": {"de": "Entfernen", "en": "Remove"},
    "room.removed": {"de": "entfernt", "en": "removed"},
    "room.more": {"de": "… und {n} weitere (Nummer oder Name eingeben)", "en": "… and {n} more (type a number or name)"},
    "room.remove_confirm": {"de": "{who} entfernen? Das Telefon kann nichts mehr eingeben, und seine {n} Eingaben "
                                  "zählen in keinem Ergebnis mehr – auch bereits geschlossene Punkte werden neu "
                                  "ausgezählt. Das Protokoll vermerkt die Entscheidung.",
                            "en": "Remove {who}? The phone can no longer give input, and its {n} inputs no longer "
                                  "count in any result – closed items are counted again too. The protocol records "
                                  "the decision."},
    "room.removed_done": {"de": "Nr. {n} entfernt.", "en": "No. {n} removed."},
    "room.cards_title": {"de": "Stimmkarten", "en": "Voting cards"},
    "room.cards_hint": {"de": "Ausgedruckte QR-Codes: jede Karte lässt genau ein Telefon zu.",
                        "en": "Printed QR codes: each card admits exactly one phone."},
    "room.cards_made": {"de": "{made} Karten erstellt, {used} benutzt.", "en": "{made} cards made, {used} used."},
    "room.cards_count": {"de": "Anzahl Karten", "en": "Number of cards"},
    "room.cards_pdf": {"de": "Stimmkarten drucken (PDF)", "en": "Print voting cards (PDF)"},
    # --- admission levels (editor, agenda file) ---
    "edit.admission": {"de": "Beitritt", "en": "Joining"},
    "edit.head_count": {"de": "Erwartete Personen", "en": "People expected"},
    "admission.open": {"de": "offen mit Code", "en": "open with the code"},
    "admission.closed_after_start": {"de": "mit Code bis zum Start, danach mit Zustimmung",
                                     "en": "with the code until the start, then with approval"},
    "admission.cards": {"de": "nur mit Stimmkarte", "en": "voting cards only"},
    "admission.open.hint": {"de": "Wer den Code hat, ist dabei. Die Konsole zeigt, wenn mehr Telefone als erwartet "
                                  "beitreten; „Beitritt schließen“ geht jederzeit.",
                            "en": "Whoever has the code is in. The console shows when more phones join than "
                                  "expected; “Close joining” is always possible."},
    "admission.closed_after_start.hint": {
        "de": "Der Beitritt schließt, sobald der erste Punkt geöffnet wird; wer danach kommt, wartet auf Ihre "
              "Zustimmung.",
        "en": "Joining closes when the first item opens; whoever comes later waits for your approval."},
    "admission.cards.hint": {"de": "Für Abstimmungen, die zählen: jede gedruckte Karte lässt genau ein Telefon zu "
                                   "(Konsole › Teilnehmende › Stimmkarten drucken).",
                             "en": "For votes that count: each printed card admits exactly one phone (console › "
                                   "participants › print voting cards)."},
    "problem.field.admission": {"de": "Beitritt", "en": "Joining"},
    "problem.field.head_count": {"de": "Erwartete Personen", "en": "People expected"},
    "problem.head_count": {"de": "muss eine ganze Zahl von 1 bis {max} sein.", "en": "must be a whole number from 1 to {max}."},
    # --- the phone at the door ---
    "join.name_note": {"de": "Ihr Name steht in den Exporten der Geschäftsstelle neben Ihren Eingaben.",
                       "en": "Your name appears next to your inputs in the office's exports."},
    "phone.wait_title": {"de": "Der Beitritt ist geschlossen.", "en": "Joining is closed."},
    "phone.wait_text": {"de": "Bitte melden Sie sich bei der Moderation – sobald sie Sie zulässt, geht es hier weiter.",
                        "en": "Please let the facilitator know – as soon as you are let in, it continues here."},
    "phone.wait_number": {"de": "Ihre Nummer:", "en": "Your number:"},
    "phone.removed": {"de": "Die Moderation hat dieses Telefon aus der Sitzung genommen.",
                      "en": "The facilitator has taken this phone out of the session."},
    "phone.card_joining": {"de": "Einen Moment – Ihre Stimmkarte wird geprüft …", "en": "One moment – checking your voting card …"},
    # --- the voting cards PDF ---
    "cards.title": {"de": "Stimmkarten – {title}", "en": "Voting cards – {title}"},
    "cards.file": {"de": "Stimmkarten", "en": "Voting cards"},
    "cards.card": {"de": "Stimmkarte Nr. {n}", "en": "Voting card no. {n}"},
    "cards.hint": {"de": "Mit der Kamera des Telefons scannen. Die Karte gilt für genau ein Telefon – bitte nicht "
                         "weitergeben.",
                   "en": "Scan with your phone's camera. The card is valid for exactly one phone – please do not "
                         "pass it on."},
    # --- links ---
    "links.console_replace": {"de": "Konsolen-Link ersetzen", "en": "Replace console link"},
    "links.console_replace_confirm": {
        "de": "Konsolen-Link ersetzen? Der bisherige gilt sofort nicht mehr; eine damit geöffnete Konsole hört auf. "
              "Den neuen Link zeigt dieses Fenster.",
        "en": "Replace the console link? The current one stops working at once; a console open with it stops. "
              "This window shows the new link."},
    "links.console_replaced": {"de": "Konsolen-Link ersetzt: der bisherige gilt nicht mehr.",
                               "en": "Console link replaced: the previous one no longer works."},
    "links.replace": {"de": "Ersetzen", "en": "Replace"},
    # --- the protocol ---
    "pdf.removed_command": {"de": "Teilnehmende entfernt", "en": "Participant removed"},
    "pdf.removed_details": {"de": "Nr. {participant} – Eingaben, die nicht mehr zählen: {inputs}",
                            "en": "No. {participant} – inputs that no longer count: {inputs}"},
    "pdf.cover_participants_removed": {"de": "{joined} angemeldet, davon {active} aktiv beteiligt; {removed} von der "
                                             "Moderation entfernt",
                                       "en": "{joined} joined, {active} of them took part; {removed} removed by the "
                                             "facilitator"},
    # --- errors ---
    "err.too_many_codes": {"de": "Zu viele falsche Codes aus diesem Netz. Bitte scannen Sie den QR-Code – oder "
                                 "versuchen Sie es in {seconds} Sekunden noch einmal.",
                           "en": "Too many wrong codes from this network. Please scan the QR code – or try again in "
                                 "{seconds} seconds."},
    "err.too_many_joins": {"de": "Von diesem Netz warten schon sehr viele auf Zulassung. Bitte melden Sie sich bei "
                                 "der Moderation.",
                           "en": "Very many from this network are already waiting to be let in. Please ask the "
                                 "facilitator."},
    "err.participant_waiting": {"de": "Sie warten noch auf die Zulassung durch die Moderation.",
                                "en": "You are still waiting for the facilitator to let you in."},
    "err.participant_removed": {"de": "Die Moderation hat Sie aus dieser Sitzung genommen.",
                                "en": "The facilitator has taken you out of this session."},
    "err.participant_not_found": {"de": "Diese Teilnehmenden gibt es in der Sitzung nicht.",
                                  "en": "There is no such participant in this session."},
    "err.participant_not_waiting": {"de": "Nr. {number} wartet nicht auf Zulassung.",
                                    "en": "No. {number} is not waiting to be let in."},
    "err.participant_already_removed": {"de": "Nr. {number} ist bereits entfernt.", "en": "No. {number} is already removed."},
    "err.admission_unknown": {"de": "Diese Beitrittsregel gibt es nicht: {level}", "en": "No such joining rule: {level}"},
    "err.head_count_out_of_range": {"de": "Bitte 1 bis {max} erwartete Personen angeben.",
                                    "en": "Please give 1 to {max} expected people."},
    "err.cards_out_of_range": {"de": "Bitte 1 bis {max} Karten angeben.", "en": "Please give 1 to {max} cards."},
    "err.voting_card_unknown": {"de": "Diese Stimmkarte kennt der Moderationskoffer nicht.",
                         "en": "The Moderationskoffer does not know this voting card."},
    "err.card_used": {"de": "Stimmkarte Nr. {number} ist schon auf einem anderen Telefon benutzt. Bitte melden Sie "
                            "sich bei der Moderation.",
                      "en": "Voting card no. {number} is already in use on another phone. Please ask the "
                            "facilitator."},
    "err.key_replaced": {"de": "Dieser Link wurde ersetzt und gilt nicht mehr. Die Geschäftsstelle gibt Ihnen den neuen.",
                         "en": "This link was replaced and no longer works. The office can give you the new one."},
    "err.photo_too_many_pixels": {"de": "Das Bild ist zu groß ({megapixels} Megapixel, höchstens {limit}).",
                                  "en": "The image is too large ({megapixels} megapixels, at most {limit})."},
    "err.photo_busy": {"de": "Gerade werden andere Fotos verarbeitet. Bitte gleich noch einmal versuchen.",
                       "en": "Other photos are being processed. Please try again in a moment."},
}
