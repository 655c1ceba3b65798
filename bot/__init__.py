"""Harbor — a support chatbot for people caught in trauma bonds and push-pull relationships."""
