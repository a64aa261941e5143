"""One module per `rasd` subcommand; each exposes register(subparsers, common)."""
