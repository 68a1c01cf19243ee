"""The schema by concept: plans, people, reminders and deliveries, statuses, chats.

Import the tables from the face (`from models import Item`) or from here."""
