"""How the app looks: palette, theme, fonts, icons and small shared labels."""
