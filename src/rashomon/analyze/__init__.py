"""Story -> Comparison, pure: sentences, links, facts, wording, figures, conflicts, summary."""
