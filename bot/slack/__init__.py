"""The Slack staff console: cards, buttons, modals, thread notes, the slash command, App Home."""
