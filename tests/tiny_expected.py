"""Hand-counted expectations for the tiny fixture log (tests/fixtures/tiny)."""

# Counted by hand from tests/fixtures/tiny/*.csv:
EXPECTED_STATS = [
    ("node", "User", 6), ("node", "Streamer", 2), ("node", "Advertiser", 2),
    ("node", "Stream", 3), ("node", "Product", 3), ("node", "Task", 2),
    ("relationship", "HOSTED", 3),      # s1, s2, s3
    ("relationship", "SELLS", 3),       # p1, p2, p3
    ("relationship", "FOLLOWS", 11),    # 5 follow rows + 3 friend rows x 2 directions
    ("relationship", "WATCHED", 8),     # e01 e04 e05 e08 e10 e11 e15 e17
    ("relationship", "LIKED", 3),       # e02 e14 e19
    ("relationship", "COMMENTED", 2),   # e06 e18
    ("relationship", "SHARED", 4),      # e03 e07 e12 e16
    ("relationship", "PURCHASED", 3),   # e09 e13 e20
    ("relationship", "REFERRED", 3),    # u1->u2, u1->u3 (e03), u2->u4 (e07); u5 arrived organically
    ("relationship", "SPONSORED", 4),   # four ad_spend rows
    ("relationship", "COMPLETED", 5),   # five task_completions rows
]
