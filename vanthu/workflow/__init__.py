"""The work before a number (quy trình): drafts (dự thảo), and later their submission, approval and signature."""
