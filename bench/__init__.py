"""`make bench`: each figure is measured beside a floor taken in the same run, and printed as a
ratio against the bar in design.md §5, so a slower or faster machine does not move the verdict."""
