"""A sample process (서류 점검 예제) that shows the runtime until the real processes land."""
