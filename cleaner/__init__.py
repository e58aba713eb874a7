"""cleaner: keep the main article body of a scraped web page, drop the chrome."""
