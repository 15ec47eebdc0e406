"""Running the bot in production: the web server (webhook, health, metrics) and its figures."""
