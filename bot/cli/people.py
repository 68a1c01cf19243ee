"""`srok invite AGENCY [--role coordinator]`: a single-use deep link for one contact."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import click
from telegram.error import InvalidToken, TelegramError

from bot.cli.common import (
    CliError,
    emit_json,
    json_option,
    now_utc,
    open_database,
    settings_or_exit,
)
from bot.settings import Settings
from bot.telegram_sender import ask_username
from messages import render_plain
from models.chats.contacts import AgencyNotFoundError, AmbiguousAgencyError, find_agency
from models.chats.invites import create_invite
from scheduler.rules.domain import Role


def deep_link(username: str, token: str) -> str:
    """The link that opens the bot with /start <token>."""
    return f"https://t.me/{username.lstrip('@')}?start={token}"


def bot_username(settings: Settings) -> str:
    """TELEGRAM_BOT_USERNAME, else the bot's own answer to getMe."""
    if settings.telegram_bot_username:
        return settings.telegram_bot_username.lstrip("@")
    if settings.telegram_bot_token is None:
        raise CliError("не задано имя бота: укажите TELEGRAM_BOT_USERNAME или TELEGRAM_BOT_TOKEN")
    try:
        return asyncio.run(
            ask_username(
                settings.telegram_bot_token.get_secret_value(), settings.telegram_api_base_url
            )
        )
    except InvalidToken as exc:
        raise CliError("сервер Bot API отклонил TELEGRAM_BOT_TOKEN") from exc
    except TelegramError as exc:
        raise CliError(f"не удалось узнать имя бота (getMe): {exc.message}") from exc


@click.command("invite")
@click.argument("agency", required=False, default="")
@click.option(
    "--role",
    type=click.Choice([Role.CONTACT.value, Role.COORDINATOR.value]),
    default=Role.CONTACT.value,
    show_default=True,
    help="Кого приглашаем: контакт органа или координатора.",
)
@json_option
def invite(agency: str, role: str, as_json: bool) -> None:
    """Ссылка-приглашение: одноразовая, истекает через SROK_INVITE_TTL_DAYS дней."""
    settings = settings_or_exit()
    if role == Role.CONTACT and not agency.strip():
        raise CliError("укажите орган: srok invite «название органа»")
    username = bot_username(settings)
    session_factory = open_database(settings)
    with session_factory.begin() as session:
        agency_id = None
        if agency.strip():
            try:
                agency_id = find_agency(session, query=agency).id
            except (AgencyNotFoundError, AmbiguousAgencyError) as exc:
                raise CliError(str(exc)) from exc
        created = create_invite(
            session,
            agency_id=agency_id,
            role=Role(role),
            now=now_utc(),
            ttl=timedelta(days=settings.srok_invite_ttl_days),
        )
    link = deep_link(username, created.token)
    if as_json:
        emit_json(
            {
                "link": link,
                "agency": created.agency_name,
                "role": str(created.role),
                "expires_at": created.expires_at,
            }
        )
        return
    click.echo(
        render_plain("cli/invite.j2", link=link, invite=created, timezone=settings.srok_timezone)
    )
