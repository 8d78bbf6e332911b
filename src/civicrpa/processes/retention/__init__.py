"""보존기간 경과 개인정보 파기: the nightly destruction of expired personal data, as a process."""
