"""starve-lab's side of the real stack: worker classes for gunicorn + uvicorn, and the routes app.

Started by `starve-lab run <scenario> --stack real` only; configured through STARVE_LAB_* variables.
"""
