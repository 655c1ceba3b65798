"""How Harbor's servers start: the Rasa server and the action server, with their guards."""
