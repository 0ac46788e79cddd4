"""`badnews serve`'s web side: the class server (textual-serve and aiohttp live only here) and the trainer's board."""
