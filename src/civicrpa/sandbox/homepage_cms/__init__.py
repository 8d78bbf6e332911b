"""시청 홈페이지 관리자: the notice board (공지사항) officials post to and citizens read.

Officials log in to write, edit and delete notices with .hwpx/.pdf attachments; a notice dated
in the future is scheduled and stays off the public board until its day. The public pages
under ``/notices`` need no log-in: that is where a robot checks that its post is visible.
"""
