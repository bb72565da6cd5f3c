"""What Hamstring Coach says in US English. Short sentences, one idea each: people hear them once.

Clinical statements are not written here: the outcome's reasons, the running sentence and today's
care come from rehab/ with their sources. These are the conversation's own words.
"""

from __future__ import annotations

from rehab.clock import MONTH_NAMES, WEEKDAY_NAMES
from skill.prompts import Prompts

TEXT: dict[str, str] = {
    # ---- opening -------------------------------------------------------------------------------
    # The welcome turn, with the disclaimer and the first question, stays within 40 words (issue 11);
    # the emergency number is spelled out, as Alexa should say it, in each locale.
    "welcome": "Welcome to Hamstring Coach.",
    "disclaimer": "I'm not a substitute for professional medical advice. "
                  "For emergencies, call nine one one.",
    "lets_check": "Let's check your hamstring.",
    "ask_resume": "Welcome back. Shall we carry on where we left off?",
    "reprompt_resume": "Say yes to carry on where we left off, or no to start again.",
    "ask_brief_resume": "Say yes to carry on where we left off, or no to start again.",
    "help_resume": "Last time you didn't finish, and I kept your answers.",
    "ask_home": "Welcome back. Would you like to hear your next session? Or say, check my hamstring, "
                "to start a new check.",
    "reprompt_home": "Say yes to hear your next session, or say, check my hamstring.",
    "ask_brief_home": "Say yes to hear your next session, or say, check my hamstring.",
    "help_home": "You have a plan with me. I can read you its next session, or check your hamstring again.",
    "home_no": "Okay. Whenever you want a new check, say: ask Hamstring Coach to check my hamstring. "
               "Take care.",
    "carry_on": "Okay, let's carry on.",
    "starting_over": "Okay, let's start from the beginning.",

    # ---- answers -------------------------------------------------------------------------------
    # Said in turn after each answer (separated by "|").
    "ack": "Got it.|Okay.|Thanks.|Right.",
    "okay": "Okay.",
    "going_back": "Okay, let's go back.",
    "nothing_to_undo": "We're at the first question, so there's nothing to go back to.",
    "nothing_to_undo_here": "There's nothing to go back to just now.",
    "rough_answer_will_do": "A rough answer is fine.",
    "guide_location": "I need to know where it hurts most.",
    "guide_onset": "I need to know how it started.",
    "guide_days_since": "I need roughly how long ago it started: for example, yesterday, three days ago, "
                        "or two weeks ago.",
    "guide_pain_score": "I need a whole number from zero to ten.",
    "guide_number": "I need a whole number from {minimum} to {maximum}.",
    "guide_choice": "Please answer {choices}.",
    "choice_yes": "yes",
    "choice_no": "no",
    "choice_unsure": "not sure",
    "choice_not_done": "not done, if you couldn't try it",
    "choice_lower_buttock": "the sit bone",
    "choice_back_of_thigh": "the back of the thigh",
    "choice_behind_knee": "behind the knee",
    "choice_sudden": "suddenly",
    "choice_gradual": "gradually",
    "not_understood": "Sorry, I didn't get that.",
    "help_commands": "You can also say repeat, go back, start over, or stop.",
    "no_test_now": "There's no test for this question.",
    "take_your_time": "Take your time.",
    "unsure_days_sudden": "No problem: I'll count it as about three days ago. Say go back to change it.",
    "unsure_days_gradual": "No problem: I'll count it as about two weeks ago. Say go back to change it.",
    "heard_days_ago": "So it started {days} days ago.",
    "heard_number": "I heard {number}.",

    # ---- outcome -------------------------------------------------------------------------------
    "outcome_intro": "Thanks, that's all my questions.",
    "see_clinician_promptly": "Most important: please see a doctor or physiotherapist within the "
                              "next few days.",
    "most_likely": "It's most likely {what}.",
    "ask_outcome": "Want to hear why, what to do today, or shall I make your plan?",
    "ask_brief_outcome": "Shall I make your plan now?",
    "reprompt_outcome": "Say why, what to do today, or make my plan.",
    "help_outcome": "I can tell you why I think so, what to do today, or make your plan with dated "
                    "sessions. Say why, what to do today, or make my plan.",
    "guide_outcome": "Say why, what to do today, or make my plan.",
    "ask_outcome_more": "Shall I go on?",
    "reprompt_outcome_more": "Say yes to hear the rest, or say: make my plan.",
    "help_outcome_more": "There's a little more to hear. Say yes to go on, or make my plan.",
    "before_plan": "First, one warning.",

    # ---- preferences ---------------------------------------------------------------------------
    "ask_weekdays": "Which days suit you for your sessions? I suggest Monday, Wednesday and Friday at "
                    "seven in the morning. Say yes to keep those, or tell me your days.",
    "reprompt_weekdays": "Which days would you like? Say yes for Monday, Wednesday and Friday, or name "
                         "your days.",
    "help_weekdays": "Your plan has dated sessions on the days you choose. Two to four days a week works "
                     "best, with rest days in between.",
    "need_weekdays": "I need the days for your sessions.",
    "ask_brief_weekdays": "Which days would you like? For example: Tuesday, Thursday and Saturday. Or say "
                          "yes for Monday, Wednesday and Friday.",
    "keeping_default_days": "Monday, Wednesday and Friday it is.",
    "keeping_defaults": "Monday, Wednesday and Friday at seven in the morning it is.",
    "unsure_keep_default_days": "No problem: I'll use Monday, Wednesday and Friday.",
    "days_not_understood": "Sorry, I didn't catch any days.",
    "days_chosen": "{days}, got it.",
    "ask_time": "And what time of day? I suggest seven in the morning. Say yes to keep it, or tell me a "
                "time.",
    "reprompt_time": "What time would you like your sessions? Say yes for seven in the morning, or tell "
                     "me a time.",
    "help_time": "Each session goes in your calendar at this time, in your own time zone. A session "
                 "takes about half an hour.",
    "need_time": "I need a time of day for your sessions.",
    "ask_brief_time": "What time would you like? For example: six thirty in the evening. Or say yes for "
                      "seven in the morning.",
    "keeping_default_time": "Seven in the morning it is.",
    "unsure_keep_default_time": "No problem: I'll use seven in the morning.",
    "time_not_understood": "Sorry, I didn't catch a time.",
    "time_chosen": "{time}, got it.",
    "start_date_not_understood": "I can start your plan on any day from today to a year ahead. "
                                 "For example, say: start tomorrow.",
    "start_date_chosen": "Your plan will start on {date}.",
    "help_file": "I'm saving your plan now.",

    # ---- the plan ------------------------------------------------------------------------------
    # The days were just chosen: the filing turn stays short, the code comes in a turn of its own.
    "plan_ready": "Your plan is ready. The first session is on {start_date} at {time}.",
    "plan_site": "It opens at {site} with a code.",
    "ask_code_offer": "Shall I read you the code?",
    "reprompt_code_offer": "Shall I read you your plan code? Say yes or no.",
    "help_code_offer": "The code opens your plan on a phone or computer. It's also in the Alexa app. Say "
                       "yes to hear it.",
    "code_intro": "Your code is:",
    "code_again": "Once more, letter by letter:",
    "ask_code_repeat": "Want me to repeat it?",
    "reprompt_code_repeat": "Want me to repeat your code? Say yes or no.",
    "help_code_repeat": "Say yes to hear the code again, letter by letter. It's also in the Alexa app.",
    "code_new_link": "That code is new, and so is your plan's link: the old ones no longer work. The new "
                     "link is in the Alexa app.",
    "code_letter": "{letter} for {word}",
    "code_digit": "{digit}",
    "card_sent": "The link and the code are also in the Alexa app.",
    "goodbye_plan": "Whenever you want it, say: ask Hamstring Coach what's my session today, or what's my "
                    "code. Take care.",
    "plan_not_saved": "I'm sorry: I couldn't save your plan just now. Please try again later: open "
                      "Hamstring Coach and I'll offer to save it. I've kept your answers.",
    "plan_not_saved_lost": "I'm sorry: I couldn't save your plan or your answers just now. Please try the "
                           "check again later: ask Hamstring Coach to check my hamstring.",
    "card_title": "Your hamstring plan",
    "card_code": "Plan code: {code} (valid until {expires})",
    "card_link": "Open your plan: {url}",
    "card_disclaimer": "Hamstring Coach is not a substitute for professional medical advice.",

    # ---- reminders (skill.handlers.reminders) ---------------------------------------------------
    # Alexa's rules: the offer says exactly when the reminder rings and that it repeats.
    "reminder_offer": "I can also have Alexa remind you every {days} at {time}, while your sessions are "
                      "dated.",
    "ask_reminder_offer": "Shall I set that reminder?",
    "reprompt_reminder_offer": "Shall I set Alexa reminders for your sessions? Say yes or no.",
    "help_reminder_offer": "A reminder rings on your Alexa devices at each session time and tells you what "
                           "to say. To stop them later, say: ask Hamstring Coach to stop my reminders.",
    "check_in_reminder_offer": "I can also remind you the day after each session, at {time}, to tell me how "
                               "it went.",
    "ask_check_in_reminder_offer": "Shall I set that one too?",
    "reprompt_check_in_reminder_offer": "Shall I remind you the morning after each session? Say yes or no.",
    "help_check_in_reminder_offer": "How your leg feels the morning after a session tells me whether the "
                                    "load was right. The reminder tells you what to say.",
    "reminders_permission_first": "To set reminders, Alexa needs your permission.",
    "reminders_set": "Done: reminders every {days} at {time}.",
    "reminders_already_set": "Your reminders are set: every {days} at {time}.",
    "check_in_reminder_set": "Done: I'll also remind you the day after each session, at {time}. Take "
                             "care.",
    "check_in_reminder_declined": "Okay, just the session reminders. Take care.",
    "reminders_declined": "Okay, no reminders. If you want them later, say: ask Hamstring Coach to set up "
                          "my reminders.",
    "reminders_denied": "Okay, no reminders. Your plan is saved. To allow them later, use the card I've "
                        "sent to the Alexa app, then say: ask Hamstring Coach to set up my reminders.",
    "reminders_no_permission": "I can't set reminders: Hamstring Coach doesn't have your permission. Your "
                               "plan is saved. I've sent a card to the Alexa app to allow it.",
    "reminders_unavailable": "Sorry, I couldn't reach Alexa reminders just now, so I haven't set any. Your "
                             "plan is saved. Try later: say, ask Hamstring Coach to set up my reminders.",
    "reminders_refused": "Sorry, Alexa wouldn't take that reminder, so I haven't set it. Your plan is saved.",
    "reminders_nothing_ahead": "Your plan has no sessions dated ahead just now, so there's nothing to remind "
                               "you of. I'll set reminders when it has.",
    "reminders_stopped": "Done: I've deleted your Hamstring Coach reminders. Your plan hasn't changed.",
    "reminders_none": "You don't have any reminders from Hamstring Coach.",
    "reminders_not_stopped": "Sorry, I couldn't reach Alexa reminders just now, so they're still set. Try "
                             "again later, or delete them in the Alexa app.",
    "reminders_left_with_data": "I couldn't reach Alexa reminders, so any Hamstring Coach reminders may need "
                                "deleting in the Alexa app.",
    # What the reminder itself says: it can't open the skill, so it says what to say next.
    "reminder_label_sessions": "Time for your hamstring session. Say: Alexa, ask Hamstring Coach to start my "
                               "session.",
    "reminder_label_check_in": "How did your hamstring session go? Say: Alexa, tell Hamstring Coach I did "
                               "my session.",

    # ---- today's session -----------------------------------------------------------------------
    "session_today": "Today's session, at {time}: {title}.",
    "session_next": "There's no session today. Your next one is on {date} at {time}: {title}.",
    "session_running": "{note}",
    "session_exercises": "The exercises: {exercises}.",
    "session_exercise": "{name}, {dosage}",
    "session_length": "It takes about {minutes} minutes.",
    "session_plan_over": "Your plan has no sessions left. Well done! To make a new one, say: ask Hamstring "
                         "Coach to check my hamstring.",
    "no_plan_yet": "You don't have a plan yet. Say: ask Hamstring Coach to check my hamstring, and after a "
                   "few questions I'll make you one.",
    "plan_unreachable": "Sorry, I can't reach your plan just now. Please try again in a little while.",
    "then_carry_on": "Now, back to your check.",
    "dose_sets_reps": "{sets} sets of {reps}",
    "dose_timed": "{count} {what} of {seconds} seconds each",
    "dose_seconds": "{count} times {seconds} seconds",
    "dose_times": "{count} times {what}",

    "session_guide_offer": "To be guided through it, say: ask Hamstring Coach to start my session.",

    # ---- a guided session ("start my session", skill.guided): short words around the counts ------
    "guided_opening": "Let's do today's session: {count} exercises, about {minutes} minutes. At any time, "
                      "say repeat, skip, pause, or that hurts.",
    "guided_exercise": "Exercise {number} of {count}: {name}, {dosage}.",
    "guided_set": "Set {number} of {sets}.",
    "guided_first_side": "First side.",
    "guided_other_side": "Other side.",
    "guided_go": "Ready, go.",
    "guided_keep_going": "Keep going.",
    "guided_hold": "Ready, hold.",
    "guided_keep_holding": "Keep holding.",
    "guided_relax": "And relax.",
    "guided_ask_ready": "Say next when you're ready.",
    "guided_ask_more": "Say next for more.",
    "guided_ask_position": "Say next when you're in position.",
    "guided_ask_untimed": "Do it now, then say next.",
    "guided_ask_next_set": "Rest, then say next for the next set.",
    "guided_ask_next_exercise": "Say next for the next exercise.",
    "guided_ask_carry_on": "Say next to keep going.",
    "guided_ask_finish": "Say next to finish.",
    "guided_again": "Again.",
    "guided_welcome_back": "Welcome back to your session.",
    "guided_skipping": "Okay, skipping that one.",
    "guided_paused": "Paused at exercise {number} of {count}. When you're ready, say: ask Hamstring Coach to "
                     "resume my session.",
    "guided_take_your_time": "Take your time.",
    "guided_yes_unclear": "If it hurts, say: that hurts. If you're ready, say: next.",
    "guided_hurts": "Okay, stop that set there.",
    "guided_finished": "That's your session done. Well done!",
    "guided_no_session_today": "There's no session today. Your next one is on {date} at {time}. Then say: "
                               "ask Hamstring Coach to start my session.",
    "guided_nothing_to_count": "Today's session has no exercises to count out. To hear it, say: what's my "
                               "session today.",
    "ask_guiding": "Say next when you're ready, or say repeat or pause.",
    "ask_brief_guiding": "Say next, repeat or pause.",
    "reprompt_guiding": "Say next, repeat or pause.",
    "help_guiding": "I'm guiding you through today's session. Say next to move on, repeat to hear it again, "
                    "skip for the next exercise, pause to stop for now, or that hurts.",

    "session_gate_due": "There's no session today: your move-on check is due.",
    "session_gate_next": "Next comes your move-on check, on {date}.",

    # ---- check-ins -----------------------------------------------------------------------------
    "ask_session_outcome": "How did your session go: did you do all of it, part of it, or miss it?",
    "reprompt_session_outcome": "Did you do all of your session, part of it, or miss it?",
    "ask_brief_session_outcome": "Did you do all of it, part of it, or miss it?",
    "help_session_outcome": "I'm logging how your session went, so I can adjust your plan. You can also "
                            "say go back, or stop.",
    "guide_session_outcome": "Please say all of it, part of it, or I missed it.",
    "ask_pain_during": "What was the worst pain during the session, from zero to ten? Zero is no pain.",
    "reprompt_pain_during": "From zero to ten, what was the worst pain during the session?",
    "ask_brief_pain_during": "From zero to ten, what was the worst pain during the session?",
    "help_pain_during": "Zero is no pain at all, and ten is the worst you can imagine. A rough number is "
                        "fine.",
    "guide_pain": "I need a whole number from zero to ten.",
    "ask_pain_next_morning": "And the morning after, how was it, from zero to ten? If you can't say, say: "
                             "I don't know.",
    "reprompt_pain_next_morning": "From zero to ten, how was it the morning after? Or say: I don't know.",
    "ask_brief_pain_next_morning": "From zero to ten, how was it the morning after? Or say: I don't know.",
    "help_pain_next_morning": "How it feels the next morning tells me whether the load was right. If you "
                              "didn't notice, say: I don't know.",
    "morning_skipped": "That's fine: I'll leave the morning out.",
    "gate_intro": "Now, your move-on check: a few yes or no questions.",
    "reprompt_criterion": "{question} Please say yes or no.",
    "help_criterion": "These checks decide when you move on to the next phase, never the date alone. If "
                      "you're not sure, that counts as not yet.",
    "guide_criterion": "Please answer yes or no.",
    "unsure_is_not_yet": "Then let's call that a not yet.",
    "check_in_for_day": "This is about your session on {date}.",
    "check_in_from_the_start": "Okay, from the start.",
    "check_in_logged": "That's logged.",
    "ask_check_in_offer": "Your session on {date} isn't logged yet. Shall we log it now?",
    "reprompt_check_in_offer": "Shall we log your session from {date}? Say yes or no.",
    "help_check_in_offer": "Telling me how each session went lets me adjust your plan. It takes a few "
                           "quick questions.",
    "ask_gate_offer": "Shall we do your move-on check now? It's a few yes or no questions to see if "
                      "you're ready to move on.",
    "ask_brief_gate_offer": "Shall we do your move-on check now?",
    "reprompt_gate_offer": "Shall we do your move-on check now? Say yes or no.",
    "help_gate_offer": "Your plan moves on when these checks are all yes, never by the date alone.",
    "check_in_later": "Okay. Whenever you're ready, say: tell Hamstring Coach I did my session.",
    "ask_retry_save": "Shall I try again?",
    "reprompt_retry_save": "Say yes to try again, or no to leave it for now.",
    "help_retry_save": "I couldn't reach your plan, so nothing has been saved yet. I still have what you "
                       "told me.",
    "check_in_not_saved": "Sorry, I can't reach your plan just now, so nothing is logged yet. I've kept "
                          "what you told me.",
    "clearance_not_saved": "Sorry, I can't reach your plan just now, so nothing has changed yet.",
    "nothing_logged": "Okay. Nothing is logged. Later, say: tell Hamstring Coach I did my session.",
    "nothing_changed": "Okay. Your plan hasn't changed. Later, say: tell Hamstring Coach my physio "
                       "cleared me.",
    "check_in_refused": "I couldn't log that: {reason}.",
    "goodbye_nothing_logged": "Okay, I haven't logged anything. Goodbye.",
    "ask_start_offer": "You don't have a plan yet. Shall we check your hamstring now? Then I'll make you "
                       "one.",
    "reprompt_start_offer": "Say yes to check your hamstring, or no to leave it.",
    "help_start_offer": "I ask a few questions about the pain, tell you what it most likely is, and make "
                        "you a plan.",
    "no_plan_finish_check": "You don't have a plan yet: let's finish this check first.",
    "plan_not_started": "Your plan starts on {date}. After your first session, say: tell Hamstring Coach I "
                        "did my session.",
    "before_plan_started": "Your plan started on {date}, so there's no session to log before then.",
    "check_in_invalid": "Sorry, I couldn't log that, so nothing has changed.",

    # ---- clinician clearance -------------------------------------------------------------------
    "ask_clearance": "Good. Which did your clinician say it is: tight hamstrings, a tendon problem, a mild "
                     "strain, or a strain?",
    "reprompt_clearance": "Did they say tight hamstrings, a tendon problem, a mild strain, or a strain?",
    "ask_brief_clearance": "Did they say tight hamstrings, a tendon problem, a mild strain, or a strain?",
    "help_clearance": "I'll build the programme for what your clinician found. If you're not sure which "
                      "it is, ask them first.",
    "guide_clearance": "I need one of these.",
    "clearance_ask_them": "Okay. Ask your clinician which it is, then say: tell Hamstring Coach my physio "
                          "cleared me. Until then, keep to your current plan.",
    "clearance_first_session": "Your first session is on {date} at {time}.",
    "not_a_referral": "Your plan isn't waiting for a clinician, so there's nothing to clear. Keep going "
                      "with your sessions.",

    # ---- your data -----------------------------------------------------------------------------
    "ask_confirm_delete": "Shall I delete everything I keep about you: your plans, their codes and your "
                          "answers? Say yes to delete, or no to keep it.",
    "reprompt_confirm_delete": "Say yes to delete your data, or no to keep it.",
    "ask_brief_confirm_delete": "Say yes to delete your data, or no to keep it.",
    "help_confirm_delete": "Deleting removes your plans, their codes and links, and any unfinished check. "
                           "It can't be undone.",
    "nothing_deleted": "Okay, I haven't deleted anything.",
    "data_deleted_none": "Done. I've deleted your answers. There were no saved plans. Goodbye.",
    "data_deleted_one": "Done. I've deleted your plan, its code and link, and your answers. Goodbye.",
    "data_deleted_many": "Done. I've deleted your {plans} plans, their codes and links, and your answers. "
                         "Goodbye.",
    "delete_failed": "Sorry, I couldn't reach the storage just now, so nothing was deleted. Please try "
                     "again later.",

    # ---- endings and errors --------------------------------------------------------------------
    "goodbye": "Okay. Take care of that hamstring. Goodbye.",
    "goodbye_progress_kept": "Okay. I've kept your answers, so next time you open Hamstring Coach we can "
                             "carry on. Goodbye.",
    # Said instead when the answers could not be kept (the store was away, or no Alexa user id).
    "goodbye_progress_lost": "Okay. I couldn't keep your answers this time, so next time we'll start again. "
                             "Goodbye.",
    "error_sorry": "Sorry, something went wrong on my side. Your answers are safe.",

    # ---- the Echo Show screen (skill.apl): the same words as the voice, on a screen -----------------
    "screen_session_today": "Today at {time}: {title}",
    "screen_session_next": "{date} at {time}: {title}",
    "screen_progress": "{index} of {count}",
    "screen_button_next": "Next",
    "screen_button_done": "Done",
    "screen_button_hurts": "It hurts",
    "screen_exercise_spoken": "{index} of {count}: {name}, {dosage}.",
    "screen_last_exercise": "That was the last exercise. When you've finished, touch Done, or say: I did my "
                            "session.",
    "screen_code_label": "Plan code",
    "screen_scan": "Scan the code with your phone's camera, or go to {site} and enter the plan code.",
    "screen_enter_code": "Go to {site} and enter the plan code.",

    # ---- small words ---------------------------------------------------------------------------
    "word_and": "and",
    "word_or": "or",
    "word_by": "by",
    "word_to": "to",
    "time_noon": "noon",
    "time_midnight": "midnight",
    "time_morning": "{time} in the morning",
    "time_afternoon": "{time} in the afternoon",
    "time_evening": "{time} in the evening",
    "time_night": "{time} at night",
}


# The NATO alphabet, which people know from the phone, spelt as Alexa says them best ("Alpha",
# "Juliet"). Every letter has a word, though codes use fewer (plans.codes.CODE_ALPHABET).
PHONETIC = {
    "A": "Alpha", "B": "Bravo", "C": "Charlie", "D": "Delta", "E": "Echo", "F": "Foxtrot", "G": "Golf",
    "H": "Hotel", "I": "India", "J": "Juliet", "K": "Kilo", "L": "Lima", "M": "Mike", "N": "November",
    "O": "Oscar", "P": "Papa", "Q": "Quebec", "R": "Romeo", "S": "Sierra", "T": "Tango", "U": "Uniform",
    "V": "Victor", "W": "Whiskey", "X": "X-ray", "Y": "Yankee", "Z": "Zulu",
}

# English day and month names are the core's own (rehab.clock), as the page and the PDF print them.
PROMPTS = Prompts(locale="en-US", text=TEXT, weekday_names=WEEKDAY_NAMES, month_names=MONTH_NAMES,
                  date_style="month_day", phonetic=PHONETIC)
