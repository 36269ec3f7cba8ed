// The precompiled header target (tests/support/test_pch.h) needs one source.
