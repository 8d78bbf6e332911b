"""민원 접수: citizens apply online for 출산장려금 and 산후조리비용; officials work the inbox.

The portal (no log-in) takes the form with its attachments (and, for 산후조리비용, the support
group, the use of a postnatal-care centre in the city and its days) and answers with a 접수번호;
the officials' side lists applications, exports them as .xlsx for a stated reason (every
download recorded), shows one with the resident number masked, and moves it through its
statuses in a modal dialog guarded by the browser's confirm. The seed draws every applicant
from the resident registry's synthetic city, so robots can check one against the other; some
applications disagree with it, lack a file or were mistyped by a clerk from paper.
"""
