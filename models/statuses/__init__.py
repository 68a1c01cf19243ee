"""Statuses and a contact's actions: reports, windows, status by window, presses and
answers, the items an agency answers for."""
