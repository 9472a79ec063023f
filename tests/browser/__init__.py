"""The browser suite: see test_each_page.py."""
