"""Operator tools for a deployed stage (``make admin``, ``make rotate-secret``, ``make replay``,
``make smoke``). They run on the operator's machine with the operator's AWS credentials and are
never packaged into the Lambda (``chalice package`` ships only app.py and chalicelib/)."""
