"""`srok`, the command line. Subcommands load lazily so that `srok --help` stays fast."""

from __future__ import annotations

import importlib
import logging

import click

#: name -> "module:attribute"; each module owns one area of the CLI.
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("bot.cli.demo:demo", "Импорт примеров, прогон календаря, все напоминания"),
    "parse": ("bot.cli.parse:parse", "Разбор формулировки срока в окна дат"),
    "import": ("bot.cli.plans:import_plans", "Импорт планов (.docx, .xlsx, .odt, .md, .txt)"),
    "items": ("bot.cli.plans:items", "Пункты планов в базе"),
    "agencies": ("bot.cli.plans:agencies", "Ответственные органы в базе"),
    "db": ("bot.cli.plans:db", "Схема базы данных (миграции)"),
    "reminders": ("bot.cli.outbox:reminders", "Запланированные напоминания"),
    "dispatch": ("bot.cli.outbox:dispatch", "Один проход рассылки на момент T"),
    "invite": ("bot.cli.people:invite", "Ссылка-приглашение для контакта"),
    "summary": ("bot.cli.reports:summary", "Сводка для координатора"),
    "export": ("bot.cli.reports:export", "Выгрузка в XLSX"),
    "calendar": ("bot.cli.reports:calendar", "Выгрузка в iCalendar (ICS)"),
    "chart": ("bot.cli.reports:chart", "Диаграмма сроков (PNG)"),
    "run": ("bot.cli.run:run", "Бот и планировщик"),
    "check": ("bot.cli.run:check", "Проверка конфигурации, базы и токена"),
}


class LazyGroup(click.Group):
    """A group whose commands are imported only when one of them is invoked."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, _, attribute = target[0].partition(":")
        return getattr(importlib.import_module(module_name), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in sorted(COMMANDS)]
        with formatter.section("Команды"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Подробный журнал.")
def main(verbose: bool) -> None:
    """Срок: напоминания ответственным органам о сроках планов сотрудничества."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs request URLs, which contain the bot token, at INFO.
    logging.getLogger("httpx").setLevel(logging.WARNING)
