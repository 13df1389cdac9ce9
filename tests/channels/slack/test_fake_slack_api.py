"""The fake Slack Web API, driven by the real slack_sdk AsyncWebClient as the product would."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Awaitable, Iterator
from urllib.parse import parse_qs

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from fakes.slack_api import FakeSlackApi, signed_headers
from fakes.slack_payloads import (
    block_actions_body,
    event_callback_body,
    message_event,
    slash_command_body,
    view_submission_body,
)

SECTION = {"type": "section", "text": {"type": "mrkdwn", "text": "*New complaint*"}}
MODAL = {
    "type": "modal",
    "callback_id": "triage",
    "external_id": "complaint-7",
    "title": {"type": "plain_text", "text": "Triage"},
    "blocks": [SECTION],
}


@pytest.fixture
def fake() -> Iterator[FakeSlackApi]:
    api = FakeSlackApi()
    api.add_user("U1", "alice", "Alice Example")
    api.add_user("U2", "bob", display_name="")
    api.add_channel("C1", "complaints", members=["U1"])
    with api:
        yield api


@pytest.fixture
def client(fake: FakeSlackApi) -> AsyncWebClient:
    return AsyncWebClient(token=fake.bot_token, base_url=fake.url)


async def error_of(call: Awaitable[object]) -> SlackApiError:
    """The SlackApiError an awaited client call raises."""
    with pytest.raises(SlackApiError) as caught:
        await call
    return caught.value


async def test_auth_test_names_the_bot_and_workspace(
    fake: FakeSlackApi, client: AsyncWebClient
) -> None:
    answer = await client.auth_test()
    assert (answer["team_id"], answer["user_id"], answer["bot_id"]) == (
        "T0TEST",
        "UBOT",
        fake.bot_id,
    )
    assert answer["url"] == "https://fake.slack.test/"


async def test_post_then_update_keeps_the_earlier_version(
    fake: FakeSlackApi, client: AsyncWebClient
) -> None:
    posted = await client.chat_postMessage(
        channel="C1", text="New complaint", blocks=[SECTION], unfurl_links=False
    )
    assert posted["channel"] == "C1"
    assert posted["ts"] == "1700000000.000100"
    assert posted["message"]["blocks"] == [SECTION]
    assert posted["message"]["bot_id"] == fake.bot_id

    updated = await client.chat_update(channel="C1", ts=posted["ts"], text="Handled", blocks=[])
    assert (updated["ts"], updated["text"]) == (posted["ts"], "Handled")

    [message] = fake.messages("C1")
    assert (message.text, message.blocks, message.user) == ("Handled", [], "UBOT")
    assert [v.text for v in message.versions] == ["New complaint"]
    assert message.versions[0].params["unfurl_links"] is False
    assert fake.count("chat.postMessage") == fake.count("chat.update") == 1


async def test_updating_an_unknown_message_is_message_not_found(client: AsyncWebClient) -> None:
    error = await error_of(client.chat_update(channel="C1", ts="1.000000", text="x"))
    assert error.response["error"] == "message_not_found"


async def test_replies_join_the_parent_thread(fake: FakeSlackApi, client: AsyncWebClient) -> None:
    parent = await client.chat_postMessage(channel="C1", text="Complaint #7")
    first = await client.chat_postMessage(channel="C1", text="Ack", thread_ts=parent["ts"])
    # Replying to a reply still lands in the parent's thread, as on Slack.
    second = await client.chat_postMessage(channel="C1", text="Done", thread_ts=first["ts"])

    assert first["message"]["thread_ts"] == parent["ts"]
    assert parent["ts"] < first["ts"] < second["ts"]
    assert [m.text for m in fake.thread("C1", parent["ts"])] == ["Ack", "Done"]
    assert [m.text for m in fake.messages()] == ["Complaint #7", "Ack", "Done"]


async def test_posting_to_a_user_id_opens_a_direct_message(
    fake: FakeSlackApi, client: AsyncWebClient
) -> None:
    answer = await client.chat_postMessage(channel="U2", text="We got your complaint")
    assert answer["channel"] == "D2"
    assert [m.text for m in fake.messages("D2")] == ["We got your complaint"]


async def test_ephemeral_goes_to_one_member_only(
    fake: FakeSlackApi, client: AsyncWebClient
) -> None:
    answer = await client.chat_postEphemeral(channel="C1", user="U1", text="Only you")
    [shown] = fake.ephemerals
    assert (shown.channel, shown.user, shown.text) == ("C1", "U1", "Only you")
    assert shown.message_ts == answer["message_ts"]
    assert fake.messages() == []

    error = await error_of(client.chat_postEphemeral(channel="C1", user="U2", text="x"))
    assert error.response["error"] == "user_not_in_channel"


async def test_permalinks_point_at_the_message_and_its_thread(client: AsyncWebClient) -> None:
    parent = await client.chat_postMessage(channel="C1", text="Complaint")
    reply = await client.chat_postMessage(channel="C1", text="Reply", thread_ts=parent["ts"])

    top = await client.chat_getPermalink(channel="C1", message_ts=parent["ts"])
    inner = await client.chat_getPermalink(channel="C1", message_ts=reply["ts"])

    assert top["permalink"] == "https://fake.slack.test/archives/C1/p1700000000000100"
    assert inner["permalink"] == (
        "https://fake.slack.test/archives/C1/p1700000000000200?thread_ts=1700000000.000100&cid=C1"
    )
    error = await error_of(client.chat_getPermalink(channel="C1", message_ts="1.000000"))
    assert error.response["error"] == "message_not_found"


async def test_a_modal_opens_once_per_trigger_and_updates_by_external_id(
    fake: FakeSlackApi, client: AsyncWebClient
) -> None:
    opened = (await client.views_open(trigger_id="1.2.abc", view=MODAL))["view"]
    assert opened["id"].startswith("V")
    assert (opened["callback_id"], opened["root_view_id"]) == ("triage", opened["id"])

    again = await error_of(client.views_open(trigger_id="1.2.abc", view=MODAL))
    assert again.response["error"] == "exchanged_trigger_id"
    missing = await error_of(client.views_open(trigger_id="", view=MODAL))
    assert missing.response["error"] == "invalid_arguments"

    new_title = MODAL | {"title": {"type": "plain_text", "text": "Triaged"}}
    updated = await client.views_update(view=new_title, external_id="complaint-7")
    assert updated["view"]["id"] == opened["id"]
    stale = await error_of(
        client.views_update(view=MODAL, view_id=opened["id"], hash=opened["hash"])
    )
    assert stale.response["error"] == "hash_conflict"
    assert [v["title"]["text"] for v in fake.views_opened] == ["Triaged"]


async def test_publishing_the_home_tab_keeps_the_latest_view_per_user(
    fake: FakeSlackApi, client: AsyncWebClient
) -> None:
    home = {"type": "home", "blocks": [SECTION]}
    first = await client.views_publish(user_id="U1", view=home)
    await client.views_publish(user_id="U1", view=home | {"blocks": []})
    assert fake.home_views["U1"]["id"] == first["view"]["id"]
    assert fake.home_views["U1"]["blocks"] == []

    wrong = await error_of(client.views_publish(user_id="U1", view=MODAL))
    assert wrong.response["error"] == "invalid_arguments"


async def test_membership_usergroups_and_users(fake: FakeSlackApi, client: AsyncWebClient) -> None:
    fake.add_channel("C2", "outsiders", members=["U2"], bot_member=False)
    fake.add_usergroup("S1", "complaints-team", ["U1", "U2"])

    joined = await client.conversations_info(channel="C1")
    outside = await client.conversations_info(channel="C2")
    assert (joined["channel"]["name"], joined["channel"]["is_member"]) == ("complaints", True)
    assert outside["channel"]["is_member"] is False
    members = await client.conversations_members(channel="C1")
    assert members["members"] == ["U1", "UBOT"]
    assert members["response_metadata"] == {"next_cursor": ""}
    assert (await client.usergroups_users_list(usergroup="S1"))["users"] == ["U1", "U2"]

    alice = (await client.users_info(user="U1"))["user"]
    bob = (await client.users_info(user="U2"))["user"]
    assert (alice["name"], alice["real_name"], alice["profile"]["display_name"]) == (
        "alice",
        "Alice Example",
        "alice",
    )
    assert (bob["real_name"], bob["profile"]["display_name"]) == ("bob", "")

    unknown_group = await error_of(client.usergroups_users_list(usergroup="S9"))
    unknown_user = await error_of(client.users_info(user="U9"))
    assert unknown_group.response["error"] == "no_such_subteam"
    assert unknown_user.response["error"] == "user_not_found"


async def test_posting_needs_a_channel_the_bot_is_in(
    fake: FakeSlackApi, client: AsyncWebClient
) -> None:
    fake.add_channel("C2", "general", members=["U1"], bot_member=False)
    fake.add_channel("G3", "secret", members=["U1"], bot_member=False, is_private=True)

    nowhere = await error_of(client.chat_postMessage(channel="C404", text="x"))
    outside = await error_of(client.chat_postMessage(channel="C2", text="x"))
    private = await error_of(client.chat_postMessage(channel="G3", text="x"))

    assert nowhere.response["error"] == "channel_not_found"
    assert outside.response["error"] == "not_in_channel"
    assert private.response["error"] == "channel_not_found"  # private channels stay hidden
    assert fake.messages() == []
    assert fake.count("chat.postMessage") == 3


async def test_a_wrong_token_is_invalid_auth_and_a_revoked_one_token_revoked(
    fake: FakeSlackApi, client: AsyncWebClient
) -> None:
    stranger = AsyncWebClient(token="xoxb-wrong", base_url=fake.url)
    wrong = await error_of(stranger.auth_test())
    assert (wrong.response.status_code, wrong.response["error"]) == (200, "invalid_auth")

    fake.revoke_token()
    revoked = await error_of(client.chat_postMessage(channel="C1", text="x"))
    assert revoked.response["error"] == "token_revoked"
    assert fake.messages() == []


async def test_a_429_carries_retry_after_and_the_sdk_only_retries_when_told_to(
    fake: FakeSlackApi, client: AsyncWebClient
) -> None:
    fake.fail_next("chat.postMessage", status=429, retry_after=7)
    limited = await error_of(client.chat_postMessage(channel="C1", text="x"))
    assert limited.response.status_code == 429
    assert limited.response.headers["Retry-After"] == "7"
    assert limited.response["error"] == "ratelimited"
    assert fake.count("chat.postMessage") == 1  # the default handlers retry connection errors only

    patient = AsyncWebClient(
        token=fake.bot_token,
        base_url=fake.url,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)],
    )
    fake.fail_next("chat.postMessage", status=429, retry_after=0)
    answer = await patient.chat_postMessage(channel="C1", text="Second try")
    assert answer["ok"] is True
    assert fake.count("chat.postMessage") == 3
    assert [m.text for m in fake.messages()] == ["Second try"]


async def test_programmed_errors_are_used_up_in_order(
    fake: FakeSlackApi, client: AsyncWebClient
) -> None:
    fake.fail_next("users.info", "fatal_error", times=2)
    errors = [(await error_of(client.users_info(user="U1"))).response["error"] for _ in "ab"]
    assert errors == ["fatal_error", "fatal_error"]
    assert (await client.users_info(user="U1"))["user"]["id"] == "U1"


async def test_form_bodies_with_a_token_field_and_json_encoded_blocks(
    fake: FakeSlackApi,
) -> None:
    anonymous = AsyncWebClient(base_url=fake.url)
    form = {"token": fake.bot_token, "channel": "C1", "text": "hi", "blocks": json.dumps([SECTION])}
    await anonymous.api_call("chat.postMessage", data=form)
    unknown = await error_of(anonymous.api_call("chat.frobnicate", data={"token": fake.bot_token}))
    no_token = await error_of(anonymous.auth_test())

    [message] = fake.messages()
    assert message.blocks == [SECTION]
    assert "token" not in fake.calls[0].params
    assert unknown.response["error"] == "unknown_method"
    assert no_token.response["error"] == "not_authed"


def test_wait_for_wakes_on_a_call_from_another_thread_or_explains_the_timeout() -> None:
    with FakeSlackApi() as api:
        api.add_channel("C1", "complaints")

        def post_later() -> None:
            time.sleep(0.05)
            post_with_sync_client(api)

        worker = threading.Thread(target=post_later)
        worker.start()
        api.wait_for(lambda f: len(f.messages("C1")) == 1, timeout=5)
        worker.join()
        with pytest.raises(TimeoutError, match=r"chat\.postMessage\(channel='C1'"):
            api.wait_for(lambda f: f.count("views.open") > 0, timeout=0.05)


def post_with_sync_client(api: FakeSlackApi) -> None:
    """Post through the synchronous WebClient, as a separate product process might."""
    WebClient(token=api.bot_token, base_url=api.url).chat_postMessage(channel="C1", text="hi")


def test_signed_headers_pass_slacks_own_verification() -> None:
    body = slash_command_body(
        team_id="T0TEST",
        user_id="U1",
        user_name="alice",
        channel_id="C1",
        command="/complain",
        text="my parcel is lost",
    )
    headers = signed_headers(body, "shh-secret")
    verifier = SignatureVerifier("shh-secret")

    assert verifier.is_valid_request(body, headers)
    assert not SignatureVerifier("other").is_valid_request(body, headers)
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    stale = signed_headers(body, "shh-secret", timestamp=int(time.time()) - 600)
    assert not verifier.is_valid_request(body, stale)
    event = event_callback_body(team_id="T0TEST", event={"type": "app_mention"})
    assert signed_headers(event, "shh-secret")["Content-Type"] == "application/json"


def test_payload_builders_make_slacks_shapes() -> None:
    action = block_actions_body(
        team_id="T0TEST",
        user_id="U1",
        user_name="alice",
        channel_id="C1",
        message_ts="1700000000.000100",
        action_id="accept",
        value="complaint-7",
        container_thread_ts="1700000000.000100",
    )
    [raw] = parse_qs(action.decode())["payload"]
    payload = json.loads(raw)
    assert payload["type"] == "block_actions"
    assert payload["actions"][0] | {"action_ts": "-", "block_id": "-"} == {
        "action_id": "accept",
        "block_id": "-",
        "type": "button",
        "text": {"type": "plain_text", "text": "Button"},
        "value": "complaint-7",
        "action_ts": "-",
    }
    assert payload["container"]["thread_ts"] == payload["message"]["thread_ts"]

    submitted = view_submission_body(
        team_id="T0TEST",
        user_id="U1",
        user_name="alice",
        callback_id="triage",
        private_metadata="7",
        values={"summary": {"text": "Lost parcel"}},
    )
    view = json.loads(parse_qs(submitted.decode())["payload"][0])["view"]
    assert view["state"]["values"]["summary"]["text"] == {
        "type": "plain_text_input",
        "value": "Lost parcel",
    }

    event = message_event(channel="D1", user="U1", text="hi", ts="1.000001", files=[{}])
    envelope = json.loads(event_callback_body(team_id="T0TEST", event=event))
    assert envelope["type"] == "event_callback"
    assert envelope["event"]["channel_type"] == "im"
    assert envelope["event"]["subtype"] == "file_share"
