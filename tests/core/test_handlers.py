"""Handler configurations: privacyIDEA 3.14's create/update rules, enable, disable, delete."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.core import handler_rules, handlers
from chalicelib.core.handlers import HandlerDraft, masked
from chalicelib.core.secret_options import SECRET_MASK
from chalicelib.engine.modules.base import module_rules
from chalicelib.errors import NotFound, ValidationFailed

# Every required option of WebHook's post_webhook.
OPTIONS = {
    "URL": "http://127.0.0.1/hook",
    "content_type": "application/json",
    "replace": "False",
    "data": "{}",
}
HOOK = HandlerDraft(
    name="hook",
    events=("compute.instance.create.end",),
    handlermodule="WebHook",
    action="post_webhook",
    options=OPTIONS,
)


def save(draft: HandlerDraft, secrets: dict[str, str] | None = None) -> int:
    """Core takes the engine's declarations as an argument: it never imports the engine."""
    return handlers.save_handler(draft, module_rules(), secrets)


def test_create_takes_ids_from_the_sequence(aws):
    assert save(HOOK) == 1
    assert save(HOOK) == 2
    config = handlers.get_handler(1)
    assert config == handlers.HandlerConfig(
        id=1,
        name="hook",
        events=("compute.instance.create.end",),
        handlermodule="WebHook",
        action="post_webhook",
        options=OPTIONS,
    )


def test_values_are_stored_as_text(aws):
    draft = replace(HOOK, options={**OPTIONS, "replace": True, "retries": 5}, conditions={"n": 1.5})
    config = handlers.get_handler(save(draft))
    assert config.options == {**OPTIONS, "replace": "True", "retries": "5"}
    assert config.conditions == {"n": "1.5"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Missing parameter: name"),
        ({"events": ()}, "Missing parameter: event"),
        ({"handlermodule": ""}, "Missing parameter: handlermodule"),
        ({"action": ""}, "Missing parameter: action"),
        ({"handlermodule": "Nope"}, "Unknown handler module: Nope"),
        ({"position": "during"}, "Unknown position: during. Allowed are: post, pre"),
        ({"conditions": ["a"]}, "The 'conditions' parameter must be a dictionary."),
    ],
)
def test_validation_speaks_privacyideas_words(aws, changes, message):
    with pytest.raises(ValidationFailed) as caught:
        save(replace(HOOK, **changes))
    assert caught.value.message == message
    assert handlers.list_handlers() == []


def test_an_unknown_action_lists_the_allowed_actions_sorted(aws):
    from chalicelib.engine.modules.base import get_module

    allowed = ", ".join(sorted(get_module("Counter").actions))
    with pytest.raises(ValidationFailed) as caught:
        save(replace(HOOK, handlermodule="Counter", action="nope"))
    assert caught.value.message == f"Unknown action: nope. Allowed are: {allowed}"


def test_federation_allows_post_only_and_aborts_on_error_by_default(aws):
    from chalicelib.engine.modules.base import get_module

    action = sorted(get_module("Federation").actions)[0]
    federation = replace(HOOK, handlermodule="Federation", action=action)
    with pytest.raises(ValidationFailed) as caught:
        save(replace(federation, position="pre"))
    assert caught.value.message == "Unknown position: pre. Allowed are: post"
    assert handlers.get_handler(save(federation)).abort_on_error is True
    assert handlers.get_handler(save(HOOK)).abort_on_error is False
    explicit = save(replace(federation, abort_on_error=False))
    assert handlers.get_handler(explicit).abort_on_error is False


def test_update_keeps_options_conditions_and_abort_but_resets_the_rest(aws):
    handler_id = save(
        replace(
            HOOK,
            position="pre",
            ordering=5,
            active=False,
            abort_on_error=True,
            conditions={"always": "yes"},
        )
    )
    save(
        HandlerDraft(
            id=handler_id,
            name="renamed",
            events=("a", "b"),
            handlermodule="WebHook",
            action="post_webhook",
        )
    )
    config = handlers.get_handler(handler_id)
    assert config.name == "renamed" and config.events == ("a", "b")
    assert (config.position, config.ordering, config.active) == ("post", 0, True)
    assert config.options == OPTIONS
    assert config.conditions == {"always": "yes"}
    assert config.abort_on_error is True
    assert len(handlers.list_handlers()) == 1


def test_update_replaces_or_clears_options_and_conditions(aws):
    handler_id = save(replace(HOOK, conditions={"always": "yes"}))
    save(replace(HOOK, id=handler_id, options={**OPTIONS, "URL": "http://b"}))
    assert handlers.get_handler(handler_id).options == {**OPTIONS, "URL": "http://b"}
    logging = replace(HOOK, id=handler_id, handlermodule="Logging", action="logging")
    save(replace(logging, options={}, clear_options=True))
    assert handlers.get_handler(handler_id).options == {}
    save(replace(HOOK, id=handler_id, conditions={}))
    assert handlers.get_handler(handler_id).conditions == {}


def test_an_explicit_unknown_id_creates_and_raises_the_sequence(aws):
    assert save(replace(HOOK, id=5)) == 5
    assert save(HOOK) == 6
    assert save(replace(HOOK, id=3)) == 3
    assert save(HOOK) == 7
    assert [config.id for config in handlers.list_handlers()] == [3, 5, 6, 7]


def test_list_is_ordered_by_ordering_then_id(aws):
    for ordering in (5, 1, 1):
        save(replace(HOOK, ordering=ordering))
    assert [config.id for config in handlers.list_handlers()] == [2, 3, 1]


def test_set_active_and_delete(aws):
    handler_id = save(HOOK)
    assert handlers.set_active(handler_id, False) == handler_id
    assert handlers.get_handler(handler_id).active is False
    assert handlers.set_active(handler_id, True) == handler_id
    assert handlers.get_handler(handler_id).active is True
    assert handlers.delete_handler(handler_id) == handler_id
    assert handlers.get_handler(handler_id) is None


@pytest.mark.parametrize(
    "write", [lambda: handlers.set_active(9, True), lambda: handlers.delete_handler(9)]
)
def test_writes_to_an_unknown_id_are_not_found(aws, write):
    with pytest.raises(NotFound) as caught:
        write()
    assert caught.value.message == "The requested EventHandler could not be found."
    assert handlers.get_handler(9) is None


def test_every_write_forgets_the_cached_handler_set(aws):
    assert handlers.cached_handlers() == []
    handler_id = save(HOOK)
    assert [config.id for config in handlers.cached_handlers()] == [handler_id]
    handlers.set_active(handler_id, False)
    assert handlers.cached_handlers()[0].active is False
    save(replace(HOOK, id=handler_id, name="renamed"))
    assert handlers.cached_handlers()[0].name == "renamed"
    handlers.delete_handler(handler_id)
    assert handlers.cached_handlers() == []


def test_a_draft_survives_its_round_trip_through_operation_params():
    draft = replace(HOOK, id=4, conditions={"a": "1"}, clear_options=True, abort_on_error=True)
    params = draft.to_params()
    assert params["events"] == ["compute.instance.create.end"]
    assert HandlerDraft.from_params(params) == draft
    assert HandlerDraft.from_params({"unknown": 1}).name == ""


@pytest.mark.parametrize("missing", ["URL", "content_type", "replace", "data"])
def test_a_handler_missing_a_required_option_is_saved_and_named_incomplete(aws, missing):
    """privacyIDEA 3.14 saves it (its API never checks required options); we say what lacks."""
    rules = module_rules()
    options = {key: value for key, value in OPTIONS.items() if key != missing}
    for sent in (options, {**options, missing: ""}):
        config = handlers.get_handler(save(replace(HOOK, options=sent)))
        assert handlers.missing_of(config, rules) == (missing,)
        message = handlers.missing_message(config, (missing,))
        assert f"Missing option {missing} of WebHook:post_webhook" in message
        assert f"option.{missing}=" in message
    # An update that keeps the stored options is complete; clearing them makes it incomplete.
    handler_id = save(HOOK)
    save(replace(HOOK, id=handler_id, options={}, name="renamed"))
    assert handlers.missing_of(handlers.get_handler(handler_id), rules) == ()
    save(replace(HOOK, id=handler_id, options={}, clear_options=True))
    assert handlers.missing_of(handlers.get_handler(handler_id), rules) == tuple(OPTIONS)


def test_secret_options_are_write_only_and_kept_unless_replaced(aws):
    rules = module_rules()
    hook = replace(HOOK, options={**OPTIONS, "authorization": "Bearer s3cret"})
    handler_id = save(hook)
    stored = handlers.get_handler(handler_id)
    assert stored.options["authorization"] == "Bearer s3cret"  # the action needs it
    assert masked(stored, rules).options["authorization"] == SECRET_MASK
    assert masked(stored, rules).options["URL"] == OPTIONS["URL"]
    # Sending the mask back, or omitting the option, keeps the stored value.
    save(replace(HOOK, id=handler_id, options={**OPTIONS, "authorization": SECRET_MASK}))
    assert handlers.get_handler(handler_id).options["authorization"] == "Bearer s3cret"
    save(replace(HOOK, id=handler_id, options={**OPTIONS, "data": '{"a": 1}'}))
    assert handlers.get_handler(handler_id).options["authorization"] == "Bearer s3cret"
    # A new value arrives beside the mask (the route keeps it out of the parameters).
    masked_draft = replace(HOOK, id=handler_id, options={**OPTIONS, "authorization": SECRET_MASK})
    save(masked_draft, {"authorization": "Bearer n3w"})
    assert handlers.get_handler(handler_id).options["authorization"] == "Bearer n3w"
    # A mask with nothing stored behind it stores nothing.
    fresh = save(replace(HOOK, options={**OPTIONS, "authorization": SECRET_MASK}))
    assert "authorization" not in handlers.get_handler(fresh).options


def test_a_stored_secret_stays_with_its_destination(aws):
    """The mask (or omission) keeps the secret only for the stored URL, module and action."""
    hook = replace(HOOK, options={**OPTIONS, "authorization": "Bearer s3cret"})
    handler_id = save(hook)
    moved = {**OPTIONS, "URL": "http://attacker.example/steal"}
    for options in ({**moved, "authorization": SECRET_MASK}, moved):
        with pytest.raises(ValidationFailed) as caught:
            save(replace(HOOK, id=handler_id, options=options))
        assert caught.value.field == "option.authorization"
        assert "authorization" in caught.value.message
    assert handlers.get_handler(handler_id).options["URL"] == OPTIONS["URL"]
    # Carrying the secret again (it arrives beside the mask) moves it.
    save(
        replace(HOOK, id=handler_id, options={**moved, "authorization": SECRET_MASK}),
        {"authorization": "Bearer again"},
    )
    stored = handlers.get_handler(handler_id)
    assert (stored.options["URL"], stored.options["authorization"]) == (
        moved["URL"],
        "Bearer again",
    )
    # clear_options drops it: nothing is kept, nothing is refused.
    save(replace(HOOK, id=handler_id, options=OPTIONS, clear_options=True))
    assert "authorization" not in handlers.get_handler(handler_id).options


@pytest.mark.parametrize("module", [handlers, handler_rules])
def test_core_handlers_never_imports_the_engine(module):
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(module))
    imported = [
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    ]
    assert not [name for name in imported if name.startswith("chalicelib.engine")]
