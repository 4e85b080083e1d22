#!/bin/sh
# Refresh the translation sources from the code, then compile them.
#
#   resources/translations/update.sh        (from anywhere in the repository)
#
# 1. pyside6-lupdate reads every self.tr(...) / QCoreApplication.translate(...)
#    of cmdesk/ui and adds new strings to cmdesk_fr.ts (existing translations
#    are kept; strings gone from the code are marked obsolete, -no-obsolete drops them).
# 2. Translate the new entries (Qt Linguist: `pyside6-linguist cmdesk_fr.ts`,
#    or edit the XML: fill <translation> and remove type="unfinished").
# 3. pyside6-lrelease compiles cmdesk_fr.qm (the app also compiles a missing or
#    stale .qm into the user cache at start-up, and wheel builds compile them).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
files=$(find cmdesk/ui -name '*.py' | sort)
# lupdate only sees literal self.tr("...") / translate("Context", "...") / t("Context", "...") calls.
if grep -n "def _tr(" $files >&2; then
    echo "update.sh: warning: strings passed through the helper(s) above are not extracted;" \
         "call QCoreApplication.translate(\"Context\", \"text\") with literals instead" >&2
fi
if grep -n '{self\.tr(\|{translate(\|{QCoreApplication\.translate(' $files >&2; then
    echo "update.sh: warning: lupdate does not read tr() calls inside f-strings (above);" \
         "translate into a variable first" >&2
fi
for lang in fr; do
    # shellcheck disable=SC2086
    pyside6-lupdate -no-obsolete -locations none -tr-function-alias translate+=t,translate+=_t $files -ts "resources/translations/cmdesk_$lang.ts"
    pyside6-lrelease "resources/translations/cmdesk_$lang.ts" -qm "resources/translations/cmdesk_$lang.qm"
done
