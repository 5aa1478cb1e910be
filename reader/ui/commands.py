"""Command palette (ctrl+p): every action of the screen in front, with its key."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class ReaderCommands(Provider):
    """Built from the active key bindings, so the palette and the keys can never disagree."""

    def _commands(self) -> list[tuple[str, Callable[[], object]]]:
        screen = self.screen
        seen: set[tuple[str, str]] = set()
        commands = []
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if not binding.description or (binding.action, binding.description) in seen:
                continue
            seen.add((binding.action, binding.description))
            shown = self.app.get_key_display(binding)
            runner = partial(self.app.run_action, binding.action, active.node)
            commands.append((f"{binding.description}  ({shown or key})", runner))
        return commands

    async def discover(self) -> Hits:
        for title, runner in self._commands():
            yield DiscoveryHit(title, runner)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, runner in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), runner)
