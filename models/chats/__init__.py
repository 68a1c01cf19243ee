"""Chats and questions: contacts and their bindings, coordinators, invites, questions
awaiting an answer, seen updates, plans uploaded in a chat."""
