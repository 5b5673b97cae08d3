"""Who said what, pure: quotes, speakers, names and entities, sources, attribution."""
