"""Extensions and the add-on the crawl settings enable."""
