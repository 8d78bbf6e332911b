"""Korean text for every stable message code.

Code passes codes and parameters; only this catalogue (and the web templates) hold the Korean
sentences a civil servant reads. Parameters are filled with ``str.format``; a missing parameter
leaves the placeholder visible instead of failing, so a message is never lost.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from civicrpa.core.korean import fix_particles

CATALOGUE: dict[str, str] = {
    # general
    "error.unknown": "알 수 없는 오류가 발생했습니다.",
    "error.not_found": "{what}을(를) 찾을 수 없습니다: {name}",
    "config.invalid": "설정이 올바르지 않습니다: {detail}",
    "config.default_secret": "운영 환경에서는 기본 비밀값({name})을 쓸 수 없습니다.",
    "config.database_not_migrated": (
        "데이터베이스가 최신 구조가 아닙니다(현재 {current}). 먼저 'civicrpa db upgrade'를 실행하십시오."
    ),
    "config.database_url_invalid": (
        "데이터베이스 주소(CIVICRPA_DATABASE_URL)를 이해할 수 없습니다: {url} "
        "(예: postgresql+psycopg://사용자@서버/civicrpa, 비워 두면 SQLite)"
    ),
    "config.database_unreachable": "데이터베이스({url})에 연결할 수 없습니다. 주소와 서버 상태를 확인하십시오: {detail}",
    # command line
    "cli.bad_datetime": "시각 형식이 올바르지 않습니다: {value} (예: 2025-10-31T18:00)",
    "cli.bad_json": "작업 데이터가 올바른 JSON이 아닙니다({line}번째 줄).",
    "cli.data_file_unreadable": "작업 데이터 파일을 읽을 수 없습니다(UTF-8 JSON 파일이어야 합니다): {name}",
    "cli.data_not_object": "작업 데이터는 항목 이름과 값의 묶음(JSON 객체)이어야 합니다.",
    "cli.reference_needed": "'{process}' 업무는 작업 데이터에 참조번호 항목이 정해져 있지 않아 참조번호를 직접 입력해야 합니다.",
    "cli.reference_mismatch": "참조번호 {reference}이(가) 작업 데이터의 {field}({value})와 다릅니다. 같은 건이 두 번 들어가지 않도록 참조번호는 {field}와 같아야 합니다(생략하면 {field}을(를) 씁니다).",
    "cli.no_demo": "{process} 업무에는 시연이 없습니다. 시연이 있는 업무: {known}",
    "cli.unknown_queue": "'{queue}' 대기열이 없습니다. 있는 대기열: {known}",
    "cli.requeue_what": "다시 처리할 작업 번호를 주거나 --state로 상태를 고르십시오(둘 중 하나만).",
    "cli.requeue_state": "'{state}' 상태의 작업은 다시 처리하도록 돌려보낼 수 없습니다. 가능한 상태: {known}",
    "cli.no_reference_field": "'{process}' 업무는 파일 가져오기에 쓸 참조번호 항목이 정해져 있지 않습니다.",
    # command line: produce, report, queue export, queue artifact
    "cli.no_producer": "{process} 업무에는 새 작업을 찾아 넣는 기능이 없습니다(작업은 'queue add'나 'queue import'로 넣습니다). 그 기능이 있는 업무: {known}",
    "cli.no_reports": "{process} 업무에는 부서에 보내는 보고서가 없습니다. 보고서가 있는 업무: {known}",
    "cli.report_reason": "보고서 작성: {title}",
    "cli.report_out_not_folder": "'{path}'은(는) 파일입니다. --out에는 보고서를 저장할 폴더를 주십시오.",
    "cli.file_unwritable": "'{path}'에 파일을 쓸 수 없습니다. 폴더가 있는지, 이 계정이 쓸 수 있는 곳인지 확인하십시오.",
    "cli.no_artifacts": "작업 {item_id}번에는 첨부 파일이 없습니다.",
    "cli.unknown_artifact": "작업 {item_id}번에는 '{name}' 첨부 파일이 없습니다. 있는 첨부 파일: {known}",
    "cli.artifact_content_missing": "작업 {item_id}번의 '{name}' 첨부 파일 내용이 보관소에 없습니다(보존 기간이 지나 파기되었을 수 있습니다).",
    "cli.artifact_corrupt": "작업 {item_id}번의 '{name}' 첨부 파일 내용이 기록된 해시와 다릅니다. 파일이 손상되었거나 바뀌었으니 저장하지 않았습니다. 감사 담당자에게 알려 주십시오.",
    "cli.sealed_artifact_denied": "'{name}'은(는) 화면 내용과 로봇이 입력한 값이 가려지지 않은 채 담긴 봉인된 추적 파일이라 개인정보 조회 권한이 있는 사람만 열 수 있습니다('{role}' 역할에는 그 권한이 없습니다).",
    "cli.sealed_artifact_reason": "'{name}'은(는) 개인정보가 담긴 봉인된 추적 파일입니다. 열려면 --reason \"열람 사유\"를 입력하십시오(개인정보 열람 기록에 남습니다).",
    # command line: usage mistakes (cli/usage.py), said in one line with where to read more
    "cli.help_hint": "('{command} --help'로 사용법을 볼 수 있습니다)",
    "cli.no_such_option": "'{option}' 옵션은 없습니다.",
    "cli.no_such_command": "'{name}' 명령은 없습니다.",
    "cli.did_you_mean": "{suggestion}을(를) 찾으셨나요?",
    "cli.known_commands": "있는 명령: {known}",
    "cli.missing_command": "명령을 지정하십시오.",
    "cli.missing_argument": "{name}을(를) 입력하십시오({help}).",
    "cli.missing_option": "'{option}' 옵션이 필요합니다({help}).",
    "cli.option_needs_value": "'{option}' 옵션 뒤에 값을 입력하십시오.",
    "cli.extra_arguments": "필요 없는 인자가 있습니다: {args}",
    "cli.bad_value": "{name}의 값이 올바르지 않습니다: {expected}",
    "cli.expected_integer": "정수여야 합니다",
    "cli.expected_number": "숫자여야 합니다",
    "cli.expected_range": "{min}에서 {max} 사이여야 합니다",
    "cli.expected_at_least": "{min} 이상이어야 합니다",
    "cli.expected_at_most": "{max} 이하여야 합니다",
    "cli.expected_choice": "다음 중 하나여야 합니다: {choices}",
    "cli.expected_value": "입력한 값을 확인하십시오",
    "cli.usage_invalid": "명령을 잘못 입력했습니다.",
    "cli.aborted": "입력을 받지 못해 중단했습니다.",
    "cli.interrupted": "중단했습니다.",
    "cli.permission_denied": "'{path}'에 접근할 권한이 없습니다. civicrpa의 데이터 폴더와 키 파일은 만든 계정만 읽을 수 있습니다(600). 이 설치를 쓰는 계정으로 실행하거나, 여러 사람이 쓰려면 운영 안내(docs/운영.md)대로 설정하십시오.",
    # command line: help screens (cli/help.py)
    "cli.help.usage": "사용법",
    "cli.help.options_piece": "옵션",
    "cli.help.command_piece": "명령 ...",
    "cli.help.arguments": "인자",
    "cli.help.options": "옵션",
    "cli.help.commands": "명령",
    "cli.help.help_option": "이 도움말을 보여 줍니다.",
    "cli.help.range": "({min}~{max})",
    "cli.help.at_least": "({min} 이상)",
    "cli.help.at_most": "({max} 이하)",
    "cli.help.default": "[기본: {value}]",
    "cli.help.required": "[필수]",
    # business and system exceptions
    "business.rejected": "업무 규칙에 따라 처리할 수 없습니다.",
    "business.not_eligible": "지원 대상이 아닙니다.",
    "input.invalid": "입력값이 올바르지 않습니다.",
    "system.fault": "시스템 오류가 발생했습니다. 자동으로 다시 시도합니다.",
    "system.target_unavailable": "{system_ko} 시스템에 접속할 수 없습니다.",
    "system.screen_changed": "{system_ko} 시스템 화면에서 '{element}' 항목을 찾을 수 없습니다.",
    "system.unexpected": "예상하지 못한 오류({error_type})가 발생했습니다.",
    "system.output_invalid": "업무 결과를 저장할 수 없는 형식입니다. 개발 담당자에게 알려 주십시오.",
    "system.lease_expired": "처리 중이던 로봇의 응답이 끊겨 작업을 회수했습니다.",
    # steps the runtime itself times (a process titles its own as <prefix>.step.<name>)
    "step.check_effect": "처리 결과 확인(지급 여부 등)",
    "finance.holder_mismatch": "예금주가 예금주 조회 결과와 다릅니다.",
    "process.unknown_report": "{process} 업무에는 '{name}' 보고서가 없습니다. 있는 보고서: {known}",
    # municipal systems: the Korean title a sentence names a system id by ({system_ko})
    "system.title.intake": "민원 접수",
    "system.title.resident_registry": "주민등록 조회",
    "system.title.finance": "지방재정 지출관리",
    "system.title.hr_attendance": "인사·근태 관리",
    "system.title.homepage_cms": "시청 홈페이지 관리",
    "system.title.library": "시립도서관 업무",
    # browser robots
    "browser.unreachable": "{system_ko} 시스템에 접속할 수 없습니다({step} 단계). 잠시 후 다시 시도합니다.",
    "browser.server_error": "{system_ko} 시스템이 오류(HTTP {status})를 응답했습니다({step} 단계).",
    "browser.page_not_found": "{system_ko} 시스템에 {path} 화면이 없습니다(404, {step} 단계). 주소나 번호가 맞는지 확인하십시오.",
    "browser.element_missing": "{system_ko} 시스템 화면에서 필요한 항목을 찾지 못했습니다({step} 단계): {detail}",
    "browser.session_expired": "{system_ko} 시스템의 로그인이 만료되어 다시 로그인했습니다({step} 단계).",
    "browser.login_failed": "{system_ko} 시스템에 로봇 계정으로 로그인하지 못했습니다. 로봇 계정 정보를 확인하십시오.",
    "browser.form_rejected": "{system_ko} 시스템이 입력을 받아들이지 않았습니다({step} 단계): {detail}",
    "browser.retries_spent": "{system_ko} 시스템 작업을 {attempts}번 시도했으나 실패했습니다({step} 단계).",
    "browser.no_chromium": "크롬(chromium)을 찾을 수 없습니다. scripts/setup.sh로 설치하거나 CIVICRPA_CHROMIUM_PATH를 지정하십시오.",
    "browser.unknown_system": "'{system}' 시스템의 주소가 설정되어 있지 않습니다(CIVICRPA_SYSTEM_URLS).",
    # queue
    "queue.invalid_transition": "작업 상태를 '{source}'에서 '{target}'(으)로 바꿀 수 없습니다.",
    "queue.item_not_found": "작업 항목 {item_id}번을 찾을 수 없습니다.",
    "queue.duplicate_reference": "이미 같은 참조번호({reference})의 작업이 있습니다.",
    "queue.reference_required": "참조번호가 비어 있습니다.",
    "queue.reference_too_long": "참조번호는 {max}자를 넘을 수 없습니다.",
    "queue.payload_invalid": "작업 데이터가 올바르지 않습니다: {detail}",
    "queue.reason_required": "사유를 입력해야 합니다.",
    "queue.reason_too_long": "사유는 {max}자를 넘을 수 없습니다.",
    "queue.actor_required": "결정한 사람을 알 수 없습니다. 사용자 이름이 필요합니다.",
    "queue.correction_unchanged": "고친 값이 원래 값과 같습니다. 바꿀 항목과 새 값을 확인해 주십시오.",
    "queue.correction_unknown_field": "'{field}' 항목은 이 업무의 작업 데이터에 없습니다. 고칠 수 있는 항목: {known}",
    "queue.correction_malformed": "'{text}'은(는) '항목=값' 형식이 아닙니다.",
    "review.asked_again": "검토 담당자가 이미 승인한 사유({code})로 로봇이 다시 검토를 요청했습니다. 업무 개발 담당자에게 알려 주십시오.",
    "review.rejected": "검토 담당자가 반려했습니다.",
    "queue.postpone_in_past": "연기 시각은 현재보다 뒤여야 합니다.",
    "queue.unknown_queue": "'{queue}' 대기열을 처리하는 업무가 등록되어 있지 않습니다.",
    "queue.unknown_state": "알 수 없는 상태 '{state}'입니다. 가능한 상태: {known}",
    "queue.lease_lost": "작업 {item_id}번의 처리 권한이 만료되어 결과를 저장하지 않았습니다.",
    "queue.effect_unverified": "로봇이 처리 도중 거듭 멈춰, 지급 등 되돌릴 수 없는 처리가 이루어졌는지 확인하지 못했습니다. 해당 시스템에서 처리 여부를 먼저 확인하고 결정해 주십시오. 확인 전에는 수작업으로 처리하지 마십시오.",
    "queue.effect_done_unrecorded": "지급 등 되돌릴 수 없는 처리는 이미 이루어졌으나 후속 기록을 마치지 못했습니다. 다시 지급하지 말고 남은 기록만 확인해 주십시오.",
    "queue.released": "로봇이 정지하면서 작업을 대기열에 돌려놓았습니다.",
    "queue.requeued": "담당자가 작업을 다시 처리하도록 돌려보냈습니다.",
    # processes
    "process.unknown": "'{name}' 업무를 찾을 수 없습니다. 등록된 업무: {known}",
    "process.module_missing": "업무 모듈 '{module}'을(를) 불러올 수 없습니다.",
    "process.module_without_processes": "업무 모듈 '{module}'에 PROCESSES 목록이 없습니다. 모듈 끝에 PROCESSES = [PROCESS]처럼 업무를 적어 주십시오.",
    "process.module_syntax": "업무 모듈에 문법 오류가 있습니다: {file} {line}번째 줄 ({error})",
    "process.module_failed": "업무 모듈을 불러오다 오류가 났습니다: {file} {line}번째 줄 ({error})",
    # bulk import (row-level messages carry the row number in the report, not here)
    "import.file_missing": "파일을 찾을 수 없습니다: {name}",
    "import.file_too_large": "파일이 너무 큽니다({size_mb} MB). {max_mb} MB 이하만 가져올 수 있습니다.",
    "import.unsupported_type": "지원하지 않는 파일 형식입니다({suffix}). .xlsx 또는 .csv 파일만 가져올 수 있습니다.",
    "import.not_xlsx": "엑셀(.xlsx) 파일이 아니거나 손상된 파일입니다.",
    "import.xlsx_too_large": "엑셀 파일의 압축을 풀면 너무 큽니다. 파일을 나누어 올려 주십시오.",
    "import.sheet_missing": "'{sheet}' 시트를 찾을 수 없습니다.",
    "import.csv_encoding": "CSV 파일의 문자 인코딩을 알 수 없습니다. UTF-8 또는 CP949(한글 엑셀)로 저장해 주십시오.",
    "import.no_header": "첫 줄에 항목 이름(머리글)이 없습니다.",
    "import.missing_columns": "필수 항목 열이 없습니다: {columns}",
    "import.duplicate_columns": "같은 이름의 열이 여러 개 있습니다: {columns}",
    "import.too_many_rows": "행이 너무 많습니다. 한 번에 {max}행까지 가져올 수 있습니다.",
    "import.cell_too_long": "'{column}' 칸의 내용이 너무 깁니다({length}자, 최대 {max}자).",
    "import.duplicate_in_file": "파일 안에서 참조번호가 중복됩니다({first_row}행과 같음).",
    "import.field_missing": "'{column}' 항목이 비어 있습니다.",
    "import.field_not_integer": "'{column}' 항목은 정수여야 합니다.",
    "import.field_not_number": "'{column}' 항목은 숫자여야 합니다.",
    "import.field_not_date": "'{column}' 항목은 날짜(예: 2025-03-31)여야 합니다.",
    "import.field_not_bool": "'{column}' 항목은 예/아니오 값이어야 합니다.",
    "import.field_too_long": "'{column}' 항목이 너무 깁니다(최대 {max}자).",
    "import.field_too_short": "'{column}' 항목이 너무 짧습니다(최소 {min}자).",
    "import.field_out_of_range": "'{column}' 항목의 값이 허용 범위를 벗어났습니다.",
    "import.field_pattern": "'{column}' 항목의 형식이 올바르지 않습니다.",
    "import.field_choice": "'{column}' 항목은 다음 중 하나여야 합니다: {choices}",
    "import.field_invalid": "'{column}' 항목이 올바르지 않습니다.",
    "import.field_unknown": "'{column}' 항목은 이 업무의 작업 데이터에 없습니다.",
    # bulk import: titles in the error report workbook
    "import.report.sheet": "가져오기 오류",
    "import.report.row": "행",
    "import.report.column": "열",
    "import.report.reason": "사유",
    "import.report.code": "오류 코드",
    # dated rate tables a city replaces with a file (core/dated.py, runtime/rate_tables.py)
    "tables.title": "요율표",
    "tables.no_row_in_force": "{day}에 적용할 {table} 기준이 없습니다(기준표 적용일: {first}부터). 기준표를 확인하십시오.",
    "tables.invalid": "{title} 파일 {file}의 {where}: {problem}",
    "tables.invalid_more": "{title} 파일 {file}의 {where}: {problem} (이 밖에 {count}곳: {others})",
    "tables.file_invalid": "{title} 파일 {file}: {problem}",
    "tables.data_invalid": "{title}의 {where}: {problem}",
    "tables.where.row": "{table} {row}번째 줄",
    "tables.problem.unreadable": "읽을 수 없습니다(파일이 없거나 UTF-8 문서가 아닙니다)",
    "tables.problem.suffix": "파일 확장자는 .json 또는 .toml이어야 합니다",
    "tables.problem.syntax": "JSON/TOML 문법이 올바르지 않습니다({error})",
    "tables.problem.missing": "필수 항목이 없습니다",
    "tables.problem.unknown_key": "알 수 없는 항목입니다. 쓸 수 있는 항목: {known}",
    "tables.problem.not_table": "항목 묶음(JSON 객체, TOML 표)이어야 합니다",
    "tables.problem.not_list": "목록이어야 합니다",
    "tables.problem.empty_list": "비어 있지 않은 목록이어야 합니다",
    "tables.problem.too_many": "항목이 너무 많습니다(최대 {max}개)",
    "tables.problem.not_date": "날짜 형식이 아닙니다(예: 2025-01-01)",
    "tables.problem.not_integer": "정수가 아닙니다(쉼표·소수점·따옴표 없이, 예: 1000000)",
    "tables.problem.not_number": "숫자가 아닙니다",
    "tables.problem.not_text": "글자가 아닙니다(따옴표로 감싸십시오)",
    "tables.problem.empty_text": "비어 있지 않은 글자여야 합니다",
    "tables.problem.text_too_long": "글자가 너무 깁니다(최대 {max}자)",
    "tables.problem.not_bool": "true 또는 false여야 합니다",
    "tables.problem.at_least": "{limit} 이상이어야 합니다",
    "tables.problem.more_than": "{limit}보다 커야 합니다",
    "tables.problem.at_most": "{limit} 이하여야 합니다",
    "tables.problem.less_than": "{limit}보다 작아야 합니다",
    "tables.problem.choice": "다음 중 하나여야 합니다: {expected}",
    "tables.problem.invalid": "값이 올바르지 않습니다",
    "tables.problem.no_rows": "줄이 하나도 없습니다. 적용일(valid_from)이 있는 줄을 하나 이상 적으십시오",
    "tables.problem.duplicate_date": "앞 줄과 적용일이 같습니다({day}). 한 날짜에는 한 줄만 적으십시오",
    "tables.problem.unsorted": "적용일이 앞 줄({previous})보다 늦어야 합니다. 줄은 적용일 순서로 적으십시오",
    "tables.problem.overlap": "앞 줄의 적용 종료일(valid_until {until})과 기간이 겹칩니다",
    "tables.problem.ends_before_start": "적용 종료일이 적용일(valid_from)보다 앞섭니다",
    # runtime
    "runtime.stopped": "로봇이 정지 요청을 받아 작업을 마쳤습니다.",
    "runtime.not_ready": "로봇을 시작하지 않았습니다. 먼저 설정해야 할 것: {missing}",
    "runtime.config_in_item": "작업 중 설정 오류가 나서 로봇을 멈췄습니다 (작업은 대기열로 돌려놓았습니다): {detail}",
    "runtime.robots_keep_dying": "로봇이 시작하자마자 {times}번 연달아 멈춰 더 띄우지 않았습니다 (종료 코드 {exitcode}). 로그 파일 {log}을 확인하십시오.",
    "runtime.run_had_failures": "실패한 작업이 {failed}건 있습니다. 'civicrpa queue list --state failed'로 확인하고, 원인을 고친 뒤 'civicrpa queue requeue --state failed'로 다시 넣으십시오.",
    "runtime.run_lost_robots": "로봇 {crashed}대가 비정상 종료했습니다. 로그 파일 {log}을 확인하십시오.",
    # security
    "security.decrypt_failed": "암호화된 자료를 풀 수 없습니다(키 {key_id}). 키 파일을 확인하십시오.",
    "security.keyring_missing": "암호 키 파일이 없습니다: {path}",
    "security.keyring_from_environment": "키가 환경 변수(CIVICRPA_KEYRING)에 있어 여기서 교체할 수 없습니다. 키 보관소에서 교체하십시오.",
    # audit trail (security/audit.py, security/anchors.py, cli/commands_audit.py)
    "security.audit_key_missing": "감사 기록을 봉인할 키가 연결되지 않아 감사 기록을 남기거나 검증할 수 없습니다. 개발 담당자에게 알려 주십시오.",
    "security.anchor_beside_database": (
        "운영 환경에서는 감사 앵커를 데이터베이스 곁({path})에 둘 수 없습니다. 데이터베이스에 쓸 수 있는 "
        "사람이 앵커도 고칠 수 있기 때문입니다. CIVICRPA_AUDIT_ANCHOR_PATH를 데이터 폴더 밖(다른 디스크·계정·서버)으로 "
        "정하거나 CIVICRPA_AUDIT_ANCHOR_COMMAND로 WORM 저장소나 다른 서버에 보내십시오."
    ),
    "security.anchor_beside_database_warning": (
        "주의: 감사 앵커가 데이터베이스 곁({path})에 있습니다. 데이터베이스에 쓸 수 있는 사람은 앵커도 고칠 수 있으니 "
        "CIVICRPA_AUDIT_ANCHOR_PATH(데이터 폴더 밖) 또는 CIVICRPA_AUDIT_ANCHOR_COMMAND로 다른 곳에 보관하십시오. "
        "운영 환경(production)에서는 이 설정을 거부합니다."
    ),
    "security.anchor_command_failed": "감사 앵커를 보내는 '{command}' 명령이 실패했습니다({detail}). 앵커가 보관되지 않았습니다.",
    "audit.anchor_command": "'{name}' 명령",
    "audit.anchor_written": "앵커 {seq}번 {hash}를 {place}에 기록했습니다.",
    "audit.anchor_nowhere_to_read": "앵커를 명령으로만 보내도록 설정되어 있어, 이 검증은 데이터베이스 안의 앵커만 봅니다. 보관소의 앵커 사본을 --anchor-file로 주면 함께 확인합니다.",
    "audit.chain_intact": "감사 기록 {entries}건의 해시 체인이 온전합니다.",
    "audit.chain_intact_unkeyed": "그중 앞의 {unkeyed}건은 키 도입 전(키 없는 해시) 기록으로, 뒤따르는 키 기록이 봉인하고 있습니다.",
    "audit.chain_broken": "감사 기록 {seq}번에서 체인이 깨졌습니다:",
    "audit.sealed": "키 도입 전 감사 기록 {unkeyed}건을 감사 키로 봉인했습니다(감사 기록 {seq}번).",
    "audit.problem.missing": "기록이 빠졌습니다(삭제 의심)",
    "audit.problem.relinked": "앞 기록과의 연결이 바뀌었습니다(순서 변경 의심)",
    "audit.problem.altered": "기록 내용이 바뀌었습니다(변조 의심)",
    "audit.problem.anchor_mismatch": "보관된 앵커와 다릅니다(체인 재작성 의심)",
    "audit.problem.truncated": "마지막 기록들이 사라졌습니다(삭제 의심)",
    "audit.problem.unkeyed": "감사 키 없이 만든 기록입니다. 키 도입 뒤에는 있을 수 없으니 위조가 의심됩니다",
    "audit.problem.unknown_key": "이 설치의 키 모음에 없는 감사 키로 만든 기록입니다(위조 또는 다른 키 모음 의심)",
    "audit.problem.unsealed": (
        "키 도입 전 기록 뒤에 감사 키로 봉인한 기록이 없어 이 기록들을 보증할 수 없습니다. "
        "'civicrpa db upgrade'를 실행하면 봉인합니다"
    ),
    "credentials.bad_name": "자격 증명 이름은 영문 소문자로 시작하는 영문·숫자·_.-만 쓸 수 있습니다: {name}",
    "credentials.empty": "아이디와 비밀번호를 모두 입력해야 합니다.",
    "credentials.no_terminal": "비밀번호를 입력받을 터미널이 없습니다. --password-stdin(표준 입력의 첫 줄)이나 --secret-env(환경 변수 이름)로 주십시오.",
    "credentials.one_source": "비밀번호는 --password-stdin과 --secret-env 중 한 가지로만 주십시오.",
    "credentials.unknown": "'{name}' 자격 증명이 등록되어 있지 않습니다.",
    "privacy.reason_required": "개인정보를 보려면 조회 사유를 입력해야 합니다.",
    "privacy.reason_too_long": "조회 사유는 {max}자를 넘을 수 없습니다.",
    # privacy search
    "privacy.find_reason_required": '개인정보로 작업을 찾으려면 --reason "조회 사유"를 입력해야 합니다.',
    "privacy.find_one_value": "찾을 값을 하나만 입력하십시오: --rrn, --account, --phone 중 하나.",
    "privacy.search_value_invalid": "입력한 {kind}의 형식이 올바르지 않습니다. 숫자만, 또는 하이픈(-)을 넣어 입력하십시오.",
    "privacy.search_kind_unknown": "알 수 없는 검색 종류 '{kind}'입니다(rrn, account, phone 중 하나).",
    "security.identity_not_disabled": "'{name}' 사용자는 사용 중지되어 있지 않습니다(이미 사용 중).",
    # access control
    "security.access_denied": "'{role}' 역할에는 '{action}' 권한이 없습니다.",
    "security.identity_disabled": "사용자 '{name}'은(는) 사용 중지되어 '{action}' 작업을 할 수 없습니다.",
    "security.unknown_identity": "'{name}' 사용자는 등록되어 있지 않습니다. RPA 관리자에게 사용자 등록을 요청하십시오.",
    "security.unknown_role": "알 수 없는 역할 '{role}'입니다. 가능한 역할: {known}",
    "security.unknown_kind": "알 수 없는 계정 종류 '{kind}'입니다(person 또는 robot).",
    "security.bad_identity_name": "사용자 이름 형식이 올바르지 않습니다: {name} (사람은 영문·숫자와 ._@-, 로봇은 'robot:이름')",
    "security.kind_role_mismatch": "'{role}' 역할을 줄 수 없습니다. 로봇 서비스 계정(robot:이름)은 로봇 역할만, 사람은 로봇이 아닌 역할만 가질 수 있습니다.",
    "security.bad_display_name": "표시 이름은 1자 이상 {max}자 이하여야 합니다.",
    "security.first_person_admin": "처음 등록하는 사람은 {admin}여야 합니다. 첫 등록으로 임시 권한이 끝나므로 '{role}'만 있으면 아무도 사용자를 관리할 수 없게 됩니다. 먼저 RPA 관리자를 등록하십시오.",
    "security.recover_needs_root": "관리자 복구는 이 서버의 시스템 관리자(root)만 할 수 있습니다. 현재 계정: {name}",
    "security.identity_exists": "'{name}' 사용자는 이미 등록되어 있습니다.",
    "security.identity_not_found": "'{name}' 사용자를 찾을 수 없습니다.",
    "security.last_admin": "'{name}'은(는) 마지막 RPA 관리자라서 역할을 바꾸거나 사용 중지할 수 없습니다. 다른 RPA 관리자를 먼저 등록하십시오.",
    # sandbox
    "sandbox.system_unavailable": "모의 시스템을 띄울 수 없습니다. 필요한 모듈이 설치되지 않았습니다: {needs} ('bash scripts/setup.sh'로 다시 설치하십시오)",
    "sandbox.unknown_system": "'{name}' 모의 시스템이 없습니다. 있는 시스템: {known}",
    "sandbox.port_busy": (
        "{port}번 포트를 다른 프로그램이 쓰고 있어 {system_ko} 시스템을 띄울 수 없습니다. "
        "--port-base로 다른 포트를 지정하십시오."
    ),
    "sandbox.truth_token_configured": (
        "정답 조회(/__sandbox/truth/)와 장애 설정(/__sandbox/faults)에는 X-Sandbox-Token 헤더가 필요합니다: "
        "CIVICRPA_SANDBOX_TRUTH_TOKEN에 설정한 값을 쓰십시오."
    ),
    "sandbox.truth_token_random": (
        "정답 조회(/__sandbox/truth/)와 장애 설정(/__sandbox/faults)에는 X-Sandbox-Token 헤더가 필요합니다. "
        "CIVICRPA_SANDBOX_TRUTH_TOKEN이 없어 이번 실행에만 쓰는 토큰을 만들었습니다: {token}"
    ),
    # schedules
    "schedule.invalid_cron": "반복 일정 식이 올바르지 않습니다: {expr}",
    "schedule.invalid_rule": "일정 규칙을 이해할 수 없습니다: {text}",
    "schedule.unknown": "'{name}' 일정을 찾을 수 없습니다.",
}


#: Which catalogue defined each code merged from outside this module (a process's own).
_OWNERS: dict[str, str] = {}


class CatalogueError(ValueError):
    """A process catalogue that would make a code ambiguous (no prefix, defined twice)."""


@dataclass(frozen=True)
class Catalogue:
    """A process's own Korean texts: every code starts with ``prefix`` and a dot.

    Built in the process's ``messages.py`` and merged into :data:`CATALOGUE` then, so its rules
    and reports render their codes wherever they are imported (the process package imports its
    messages; the registry loading the process imports them with it). Step titles are
    ``<prefix>.step.<step name>``.
    """

    prefix: str
    entries: Mapping[str, str]

    def __post_init__(self) -> None:
        merge(self)

    def text(self, name: str, **params: Any) -> str:
        """The Korean sentence of ``<prefix>.<name>``, filled (a memo, a reason)."""
        return render(f"{self.prefix}.{name}", params)


def merge(catalogue: Catalogue) -> None:
    """Add ``catalogue``'s entries to :data:`CATALOGUE`; refuses a code outside its prefix or
    one another catalogue (or the platform) already defines. Merging the same one is a no-op."""
    head = catalogue.prefix + "."
    for code, text in catalogue.entries.items():
        if not code.startswith(head) or code == head:
            raise CatalogueError(f"message code {code!r} does not start with {head!r}")
        owner = _OWNERS.get(code)
        if owner == catalogue.prefix and CATALOGUE.get(code) == text:
            continue
        if code in CATALOGUE:
            raise CatalogueError(f"message code {code!r} is defined twice")
    for code, text in catalogue.entries.items():
        CATALOGUE[code] = text
        _OWNERS[code] = catalogue.prefix


def step_title(name: str, prefix: str | None = None) -> str:
    """The Korean title of a step: ``<prefix>.step.<name>``, else ``step.<name>``, else the
    name itself (a step nobody titled yet)."""
    for code in ((f"{prefix}.step.{name}",) if prefix else ()) + (f"step.{name}",):
        if code in CATALOGUE:
            return CATALOGUE[code]
    return name


class _Lenient(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _derived(params: Mapping[str, Any]) -> dict[str, Any]:
    """``params`` plus what templates derive from them: ``system_ko``, the Korean title of the
    ``system`` id (``library`` -> 시립도서관 업무), or the value itself when it has none."""
    derived = dict(params)
    system = params.get("system")
    if system is not None and "system_ko" not in derived:
        derived["system_ko"] = CATALOGUE.get(f"system.title.{system}", system)
    return derived


def render(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The Korean sentence for ``code`` filled with ``params``; unknown codes fall back.

    A particle pair written after a placeholder (``'{name}'을(를)``, ``{revision}(으)로``) is
    chosen for the value filled in (:func:`civicrpa.core.korean.fix_particles`).
    """
    template = CATALOGUE.get(code)
    if template is None:
        return f"{CATALOGUE['error.unknown']} ({code})"
    return fill(template, params)


def fill(template: str, params: Mapping[str, Any] | None = None) -> str:
    """``template`` filled with ``params`` as :func:`render` fills a catalogue entry."""
    values = _Lenient(_derived(params or {}))
    formatter = string.Formatter()
    parts: list[str] = []
    previous: str | None = None
    for literal, field, spec, conversion in formatter.parse(template):
        parts.append(literal if previous is None else fix_particles(previous, literal))
        previous = None
        if field is None:
            continue
        value, key = formatter.get_field(field, (), values)
        filled = formatter.format_field(formatter.convert_field(value, conversion), spec or "")
        parts.append(filled)
        # A missing parameter stays "{name}": its particle stays written out as a pair.
        previous = filled if key in values else None
    return "".join(parts)


def template_gist(code: str) -> str:
    """The Korean template of ``code`` with each placeholder shown as "…".

    What the messages of one code have in common, for a summary that groups them: "출생일(…)
    현재 신청인이 관내에 주민등록이 되어 있지 않습니다." Unknown codes fall back as in :func:`render`.
    """
    template = CATALOGUE.get(code)
    if template is None:
        return render(code)
    return "".join(
        literal + ("" if field is None else "…")
        for literal, field, _spec, _conversion in string.Formatter().parse(template)
    )


__all__ = [
    "CATALOGUE",
    "Catalogue",
    "CatalogueError",
    "fill",
    "merge",
    "render",
    "step_title",
    "template_gist",
]
