// PLACEHOLDER: filled by its issue.
print("jobs-benchmark: not written yet")
