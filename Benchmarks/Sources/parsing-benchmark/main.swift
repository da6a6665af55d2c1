// PLACEHOLDER: filled by its issue.
print("parsing-benchmark: not written yet")
