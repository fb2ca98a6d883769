"""Reusable pieces of the screen: panels, menus, meters, action cards, the news feed."""
