# bantin's messages in English (`--lang en` or BANTIN_LANG=en).
# Every message has the same id and the same variables as the Vietnamese one
# (locales/vi/bantin.ftl), which is the default.

## Line labels

label-error = error
label-warning = warning
label-hint = hint

## Names of the fields of an article's header and of site.yaml

field-named = field `{ $field }` ({ $meaning })
field-bare = field `{ $field }`
choices = { $first } or { $last }
field-title = title
field-date = day of the meeting
field-organ = organ
field-meeting = about the meeting
field-kind = kind
field-extended = extended meeting
field-period = month reviewed
field-location = place
field-chair = chaired by
field-attendees = attended by
field-authors = authors
field-source = source
field-published = publication time
field-summary = summary
field-tags = topics
field-image = cover image
field-draft = draft
field-slug = the article's address
field-indicators = indicators
field-id = id
field-value = value
field-unit = unit
field-estimate = estimate
field-yoy = compared with a year before
field-cumulative = running total of the year
field-plan = share of the plan
field-extra = free fields
field-name = name
field-aliases = other names
field-label = label
field-timezone = timezone
field-base_url = the site's address
field-description = description
field-language = language
field-per_page = articles per page
field-organs = catalogue of organs
field-glossary = glossary

## Problems in articles and in site.yaml

invalid-utf8 = the file is not saved as UTF-8 (broken at byte { $offset })
invalid-utf8-hint = open the file in an editor and save it again as UTF-8 (Unicode)
empty-file = the file is empty
no-front-matter = the article has no header (between two lines ---)
no-front-matter-hint = an article starts with a line `---`, then its title, date and organ (e.g. `date: 31/8/2023`), then another line `---`
unclosed-front-matter = the article's header has no closing line `---`
unclosed-front-matter-hint = add a line with only `---` right after the header's last field
yaml = the article's header is not well formed: { $kind ->
    [quote] a quotation mark is opened and not closed
    [tab] it has a Tab character; indent with spaces only
    [colon] it has a colon where none may be (put a value with a colon in quotes)
    [duplicate] a field is written twice
    [indent] its indented lines are not aligned
    [character] a value starts with a character that may not start one (such as @ or `); put it in quotes
   *[other] { $detail }
}
yaml-hint = check this line and the one above: quotes closed, a colon and a space after each field name, sub-fields indented with spaces
text-after-quote = `{ $rest }` follows the closing quote: a value must be wholly inside its quotes
text-after-quote-hint = move this text inside the quotes, e.g. `title: "Standing Committee, August (supplement)"`; a quote inside the value is written `\"`
unknown-key = there is no field called `{ $key }`
unknown-key-hint = did you mean { $field }? (fields of your own go under `extra:`)
unknown-key-extra = fields of your own go under `extra:`
wrong-type = { $field } must be { $expected ->
    [number] a number
    [boolean] `true` (yes) or `false` (no)
    [list] a list
    [text] a line of text
    [group] a group of sub-fields
   *[other] a value of the right kind
}
wrong-choice = { $field } takes one of { $choices }
wrong-type-number-hint = write decimals with a point and no thousands separator: `351.05`, not `351,05`
wrong-type-boolean-hint = write `true` for yes and `false` for no, e.g. `draft: true`
wrong-type-list-hint = write a list in square brackets, e.g. `tags: [kinh tế, ngân sách]`
missing-field = { $field } is missing
missing-field-hint = add a line to the article's header: { $name ->
    [title] `title: Hội nghị Ban Thường vụ Huyện ủy tháng 8`
    [date] `date: 31/8/2023`
    [organ] `organ: Ban Thường vụ Huyện ủy`
    [id] `- id: thu-ngan-sach` (an indicator id from site.yaml)
    [name] `name: Ban Thường vụ Huyện ủy`
    [label] `label: Thu ngân sách`
    [unit] `unit: tỷ đồng`
   *[other] `{ $name }: …`
}
bad-date = `{ $value }` is not a real date
bad-date-hint = write the day as day/month/year, e.g. `date: 31/8/2023` (or `2023-08-31`), optionally with a time: `31/8/2023 08:30`
bad-month = `{ $value }` is not a month
bad-month-hint = write a month as year-month, e.g. `period: 2023-08`
bad-timezone = there is no timezone `{ $value }`
bad-timezone-hint = Vietnam's timezone is `Asia/Ho_Chi_Minh`
unknown-organ = there is no organ `{ $name }` in the catalogue of organs
unknown-organ-hint = see the catalogue of organs (`organs`) in site.yaml and write an organ's name, other name or id
duplicate-organ = `{ $key }` names more than one organ in the catalogue
duplicate-organ-hint = each name, other name and id may belong to one organ only
duplicate-indicator = two indicators have the id `{ $id }`
duplicate-indicator-hint = each indicator needs an id of its own: change one of the two, or remove the repeated indicator
shared-indicator-name = `{ $name }` names two indicators: `{ $first }` and `{ $second }`
shared-indicator-name-hint = each label and other name (`aliases`) may belong to one indicator only, so that an article using it is given the right one
unknown-indicator = there is no indicator `{ $id }` in the catalogue of indicators
unknown-indicator-hint = see the catalogue of indicators (`indicators`) in site.yaml
unknown-area = there is no area `{ $name }` in the catalogue of areas
unknown-area-hint = see the catalogue of areas (`areas`) in site.yaml and write an area's name, other name or id
duplicate-area = `{ $key }` names more than one area in the catalogue
duplicate-area-hint = each name, other name and id may belong to one area only
did-you-mean = did you mean { $choices }?
unit-mismatch = indicator `{ $id }` is given in `{ $unit }`
unit-mismatch-hint = the catalogue's unit for this indicator is `{ $expected }`: leave the line `unit` out or convert the figure to `{ $expected }`
plan-out-of-range = the share of the plan (`plan`) is { $value }%, outside 0–1000%
plan-out-of-range-hint = `plan` is the percentage of the plan achieved, e.g. `plan: 38.18`
bad-slug = the address `{ $slug }` would lead outside the article's folder
empty-slug = the article's address (`slug`) is empty
slug-hint = an address has only unaccented letters, digits and hyphens, e.g. `slug: hoi-nghi-thang-8`
duplicate-url = the address { $url } is also the address of { $other }
duplicate-url-hint = give one of the two articles another address (`slug:`)
not-a-document = the file is not a Word document (.docx) that can be read
not-a-document-hint = open it in Word or LibreOffice and save it again as .docx; or copy its text into a .txt file
unchecked-note = an article that is not a draft still has a "# to check" line of bantin import: "{ $note }"
unchecked-note-hint = check the value the note is about, then delete the note's line; or keep `draft: true` until it is reviewed
template = a page template has an error: { $detail }
template-hint = correct the template in templates/, or delete that file to use the built-in one
cumulative-falls = the running total of `{ $id }` falls within the year, from { $from } to { $to }
plan-falls = the share of the plan of `{ $id }` falls within the year, from { $from }% to { $to }%
compare-with = compare with { $earlier }
value-above-cumulative = indicator `{ $id }`: the month's figure ({ $value }) is more than the year's running total ({ $cumulative })
value-above-cumulative-hint = the year's running total includes this month, so it cannot be smaller
broken-link = the link `{ $target }` leads to no page
broken-link-hint = link to a page of the site (e.g. `/2023/08/hoi-nghi-thang-8/`) or to a file beside the article
missing-image = there is no image file `{ $target }`
missing-image-hint = put the image in the article's folder, or correct the file name in the article
markdown-link = the link `{ $target }` leads to an article's file (.md), not to its page
markdown-link-hint = link to the article's page: `{ $url }`
markdown-link-any-hint = link to the article's page, e.g. `/2023/08/hoi-nghi-thang-8/`
long-summary = the summary is { $chars } characters long (more than { $max })
long-summary-hint = shorten `summary:` to at most { $max } characters (or change the limit with --summary-max)
long-summary-lead-hint = the article has no `summary:`, so its first paragraph is used; add a `summary:` of at most { $max } characters (or change the limit with --summary-max)
no-summary = the article has no summary
no-summary-hint = add a `summary:` to the article's header, or write an opening paragraph
unused-organ = no article is about organ `{ $id }`
unused-indicator = no article uses indicator `{ $id }`
unused-hint = remove it from the catalogue in site.yaml, or keep it for articles to come
unreferenced-file = no article links to this file
unreferenced-file-hint = the file is not published because no article links to it; put it in an article or delete it
broken-page-link = { $others ->
    [0] the link `{ $target }` leads to no page
    [one] the link `{ $target }` leads to no page (and on { $others } other page)
   *[other] the link `{ $target }` leads to no page (and on { $others } other pages)
}
broken-page-link-hint = the link is in a page template (templates/) or in raw HTML written in an article
unusable-key = `{ $key }` cannot be the name of a field
unusable-key-hint = a field's name is a word, e.g. `image_alt:`; to mean the text ~, write `"~":`
number-out-of-range = { $field }: `{ $value }` is not a number a page can show
number-out-of-range-hint = write the number in digits, smaller than { $largest } (e.g. `351.05`)
empty-tag-slug = tag `{ $tag }` has no letter or digit to make its address
empty-tag-slug-hint = a tag needs at least one letter or digit, e.g. `ngân sách`
empty-id = the id is empty or has no letter or digit, so it makes no address
empty-id-hint = an id needs letters or digits, e.g. `hdnd-huyen`
too-many-tags = the article has { $count } tags, more than the { $max } allowed
too-many-tags-hint = keep at most { $max } tags that say most about the article; tags are for finding related meetings
year-out-of-range = the year { $year } is not plausible
year-out-of-range-hint = a date's year lies between { $first } and { $last }
outside-site = `{ $target }` leads outside the site's folder
outside-site-hint = only files inside the site's folder are published: copy the file beside the article and link it by its name
forbidden-attachment = { $typed ->
    [no] `{ $target }` has no file type and is not published beside articles
   *[other] `{ $target }`: .{ $extension } files are not published beside articles
}
forbidden-attachment-hint = { $kind ->
    [page] a web page could run scripts on the site: copy its text into the article, or save it as PDF
    [drawing] an SVG drawing could run scripts on the site: export it as PNG
   *[other] files of these types can be attached: { $allowed }; save it as one of them (e.g. PDF)
}
image-too-large = image `{ $target }` is too large to read ({ $width }×{ $height } pixels)
image-too-large-hint = bantin reads images up to { $side } pixels a side; save it smaller (2000 pixels wide is plenty on a web page)
image-unreadable = image `{ $target }` cannot be read: { $detail }
image-unreadable-hint = the file is damaged or not really a JPEG or PNG: open it and save it again as JPEG
typed-number = `{ $text }` is not a number
typed-number-hint = type numbers the Vietnamese way: a comma before the decimals, points between thousands, e.g. `351,05`, `1.234,5`, `-3,2`

## When a run cannot go on (reading and writing files, refused requests)

error-line = error: { $message }
failed = { $step ->
    [reading] cannot read { $path }
    [writing] cannot write { $path }
    [creating] cannot create { $path }
    [removing] cannot remove { $path }
    [decoding] cannot read the image { $path }
    [copying] cannot copy { $path }
    [watching] cannot watch { $path } for changes
    [moving-aside] cannot move { $path } aside
    [moving-into-place] cannot move { $path } into place
   *[opening] cannot open { $path }
}
io-not-found = no such file or folder
io-permission-denied = permission denied
io-already-exists = it already exists
io-other = { $detail }
no-site-yaml = no site.yaml in { $root } (does --root name the site's folder?)
output-needs-name = the output folder needs a name
outside-output = refusing to write outside the output folder: { $path }
folder-not-empty = { $dir } is not empty; `bantin init` only creates a site in a new or empty folder
already-exists = { $path } already exists; nothing was written
bad-date-argument = --date `{ $value }` is not a date; write 31/8/2023 or 2023-08-31
bad-period-argument = --period `{ $value }` is not a month; write 2023-08
empty-file-name = the title gives no file name; it needs letters or digits
listening-failed = cannot listen on { $address } (is another server using the port?)
serve-start-failed = the preview server did not start
unknown-language = BANTIN_LANG=`{ $code }`: bantin speaks Vietnamese (`vi`) and English (`en`) only
output-refused = { $reason ->
    [site-root] the output folder { $output } is the site's own folder; building there would delete site.yaml, content/ and templates/
    [holds-site] the output folder { $output } holds the site's folder ({ $root }); building there would delete the site
    [source-folder] the output folder { $output } is inside the site's { $folder }/ folder or holds it; building there would delete its files
    [not-a-folder] the output { $output } is not a folder
    [broken-link] the output { $output } is a link to a folder that does not exist
   *[not-ours] the output folder { $output } holds files that bantin did not write; building there would delete them
}
output-refused-hint = { $reason ->
    [broken-link] create the folder the link points to, or choose another --output
    [not-ours] choose a new or empty folder, or add --force to replace everything in this one
   *[other] choose a new folder beside the site's folders, e.g. --output public
}
internal-error = { $count ->
    [0] internal error (a bug in bantin, not in the articles) while rebuilding the site: { $detail }
   *[other] internal error (a bug in bantin, not in the articles) while rebuilding after a change to { $files }: { $detail }
}

unknown-argument = there is no option `{ $arg }`
unknown-command = there is no command `{ $arg }`
missing-argument = { $arg } is missing
invalid-value = { $arg } does not take the value `{ $value }`
see-help = Type `bantin --help` (or `bantin <command> --help`) to see how to use it.

## What the commands report

site-built = { $files ->
    [0] Built { $pages } pages from { $articles } articles in { $seconds } s
   *[other] Built { $pages } pages from { $articles } articles, with { $files } images and documents, in { $seconds } s
}
site-checked = Checked { $articles } articles, { $pages } pages in { $seconds } s: no errors
errors-found = { $count ->
    [one] 1 error found; nothing was written
   *[other] { $count } errors found; nothing was written
}
init-created = Created a site in { $dir } ({ $files } files)
init-next = Next: bantin serve --root { $dir }   (preview in a browser) or bantin build --root { $dir }
import-done = { $from } -> { $to }
import-date = date: { $value }
import-organ = organ: { $value }
import-chair = chair: { $value }
import-attendees = attendees: { $value }
import-authors = authors: { $names } ({ $source })
import-images = images: { $count }
import-indicators = indicators: { $value }
import-checks = to check (lines # kiểm tra): { $count }

## Notes of bantin import (lines # to check in an imported article)

import-header = Imported by `bantin import` from { $origin }. Review the lines "# to check:", then delete them; change `draft: true` to `draft: false` to publish.
import-check = to check: { $note }
import-pasted = a text pasted into the editor
note-no-source = the last line names no source
note-no-byline = no byline recognized at the end of the article
note-image = image "{ $caption }": put the file { $file } beside the article (or correct the name in the article)
note-summary = the first paragraph is { $length } characters long; write a `summary:` shorter than { $max } characters
note-no-organs = site.yaml has no catalogue of organs: write the organ's name in `organ:`
note-organ-from-lead = the organ comes from the first paragraph; the title names none
note-organ-unknown = no organ recognized; the catalogue has: { $known }
note-no-date = no day of meeting found (such as "sáng ngày 31/8")
note-years = the article names several years ({ $years }); the year of the meeting is guessed as the most frequent
note-year-from-folder = the year of the meeting comes from the file's folder; the article names none
note-no-year = day { $day }: the year is unknown
note-no-such-day = day { $day } does not exist
note-period-after = the month reviewed (`period`) is after the month of the meeting: check it
note-no-chair = no chair found ("Đồng chí … chủ trì")
note-name = is "{ $name }" a person's name?
note-indicator = is "{ $words }" really the indicator "{ $label }"?
note-fraction = "{ $shown }": a fraction, not written
note-dot = the number `{ $number }` is unclear: is the dot here a thousands separator or a decimal point?
note-yoy = "{ $shown }": rise or fall against a year before, not written
note-percent = "{ $shown }": a percentage, not written (`plan` is the % of the year's plan)
note-unit = "{ $shown }": a unit other than the catalogue's ({ $unit }), not written
note-another-figure = "{ $shown }": one more figure, not written
note-added = "{ $shown }": the amount added in the period, not written
note-other-period = "{ $shown }": a figure of another period (one to come, or another year), not written
note-converted = "{ $shown }": converted into the catalogue's unit: { $value } { $unit }

## The preview server (bantin serve)

serve-built = Built { $pages } pages from { $articles } articles in { $seconds } s
serve-listening = Serving { $url } (Ctrl+C to stop)
serve-editor-on-network = The editor is open to other machines on the network; only those with this address (0.0.0.0 replaced by this machine's) can use it: { $url }
serve-rebuilt = { $time } rebuilt { $pages } { $pages ->
    [one] page
   *[other] pages
} in { $millis } ms
serve-latency = latency: { $total } ms from file event to reload message ({ $first ->
    [none] {""}
   *[other] the edited page's after { $first } ms;{" "}
}{ $rebuild } ms rebuilding: { $phases })
serve-errors = { $time } { $count ->
    [one] 1 error
   *[other] { $count } errors
} found; still serving the last good site
serve-fixed = { $time } fixed
serve-failed = { $time } error: { $message }
serve-refused-host = The preview server only answers when opened at its own address: open the address bantin serve printed.
serve-refused-outside = This path is not part of the site (it leads out of the site's folder), so it is not served.
overlay-title = bantin: the last edit has errors; this page shows the last good version.
overlay-hide = Hide the errors

## Command-line help (bantin --help)

help-template =
    {"{"}about{"}"}

    Usage: {"{"}usage{"}"}

    {"{"}all-args{"}"}
help-commands = Commands
help-arguments = Arguments
help-options = Options
help-usage-options = OPTIONS
help-default = { $help } (default: { $value })
help-usage-command = COMMAND
cmd-bantin = A static news archive of meetings, from Markdown articles
arg-help = Print this help
arg-version = Print the version
arg-lang = The language of messages: vi (Vietnamese) or en (English); BANTIN_LANG sets it too
    .value = LANGUAGE
cmd-build = Build the site into the output folder (public/ by default)
cmd-check = Check everything a build checks, and the links; write nothing
cmd-serve = Preview the site in a browser, rebuilt and reloaded on every change
cmd-init = Create a new site in an empty folder, with an example article
cmd-new = Write a new article with a complete header
cmd-import = Turn articles (plain text .txt, Word .docx or saved .html pages) into Markdown articles with a header
arg-root = The site's folder, where site.yaml is
    .value = FOLDER
arg-output = Where to write the site, relative to the site's folder
    .value = FOLDER
arg-drafts = Include drafts and articles scheduled for later
arg-check-drafts = Also check drafts and articles scheduled for later
arg-base-url = The site's address, instead of site.yaml's base_url
    .value = URL
arg-force = Replace an output folder that holds files bantin did not write (never the site's own folders)
arg-summary-max = Warn about summaries longer than this many characters
    .value = CHARACTERS
arg-bind = The address to listen on; other machines can connect only if it is not 127.0.0.1
    .value = IP
arg-port = The port to listen on; 0 is any free port
    .value = PORT
arg-open = Open the site in the default browser
arg-editor-on-network = Offer the editor (/_soan/) to other machines too when --bind is not 127.0.0.1; it is reached through the address with a code printed at start
arg-dir = The folder to create the site in; it must be new or empty
    .value = FOLDER
arg-title = The article's title
    .value = TITLE
arg-organ = The organ that met: a name, other name or id from site.yaml
    .value = ORGAN
arg-date = The day of the meeting, 31/8/2023 or 2023-08-31 (default: today)
    .value = DATE
arg-period = The month reviewed, 2023-08 (default: the month before the meeting)
    .value = MONTH
arg-tags = A topic of the article; repeat for more
    .value = TOPIC
arg-files = Plain-text articles: the title on the first line, the byline on the last
    .value = FILE
arg-out = Where to write the Markdown files, relative to the site's folder
    .value = FOLDER
