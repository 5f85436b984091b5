"""``Counter``: privacyIDEA's counter handler over atomic DynamoDB counters.

A ProcessMaker trigger's counters live under its workspace's namespace
(``ActionContext.counter_namespace``), so a designer can neither change nor reset the counters
that admins' handler conditions read, nor another workspace's.
"""

from __future__ import annotations

from chalicelib.core import counters
from chalicelib.engine.modules.base import ActionContext, HandlerModule, OptionSpec, register
from chalicelib.engine.modules.templates import render, tag_values

_NAME = OptionSpec(
    required=True,
    description="The name of the counter; tags such as {node} are replaced.",
)


@register
class CounterModule(HandlerModule):
    identifier = "Counter"
    description = "Increase, decrease or reset a named event counter."
    positions = ("post", "pre")
    actions = {
        "increase_counter": {"counter_name": _NAME},
        "decrease_counter": {
            "counter_name": _NAME,
            "allow_negative_values": OptionSpec(
                type="bool",
                description="Let the counter go below zero (otherwise it stops at 0).",
            ),
        },
        "reset_counter": {"counter_name": _NAME},
    }

    def run(self, action: str, options: dict[str, str], context: ActionContext) -> None:
        rendered = render(str(self.option(action, options, "counter_name")), tag_values(context))
        name = context.counter_namespace + rendered
        if action == "increase_counter":
            value = counters.change_counter(name, 1)
        elif action == "decrease_counter":
            allow = self.flag(action, options, "allow_negative_values")
            value = counters.change_counter(name, -1, allow_negative=allow)
        else:
            value = counters.reset_counter(name)
        context.details.update({"counter": name, "value": value})
