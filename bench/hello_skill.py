"""The floor for skill timings: the smallest ask-sdk-core skill that answers a LaunchRequest.
Kept as small as the SDK allows so the ratio measures what our skill adds."""

from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import is_request_type

_builder = SkillBuilder()


@_builder.request_handler(can_handle_func=lambda handler_input: True)
def _hello(handler_input):
    if is_request_type("LaunchRequest")(handler_input):
        return handler_input.response_builder.speak("Hello.").ask("Hello?").response
    return handler_input.response_builder.speak("Hello.").set_should_end_session(True).response


skill = _builder.create()
handler = _builder.lambda_handler()
