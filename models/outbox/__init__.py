"""The outbox and its claims: obligations, the dispatch queue, deliveries, manual
reminders, copies and trails."""
