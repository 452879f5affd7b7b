# Danh mục lời nhắn của bantin (tiếng Việt, ngôn ngữ mặc định).
# Mỗi lời nhắn có cùng mã và cùng biến với bản tiếng Anh (locales/en/bantin.ftl).
# Viết cho cán bộ làm công tác thông tin, không phải cho lập trình viên.

## Nhãn đầu dòng

label-error = lỗi
label-warning = cảnh báo
label-hint = gợi ý

## Tên các mục trong phần thông tin đầu bài và trong site.yaml

field-named = mục `{ $field }` ({ $meaning })
field-bare = mục `{ $field }`
choices = { $first } hoặc { $last }
field-title = tiêu đề
field-date = ngày họp
field-organ = cơ quan
field-meeting = thông tin cuộc họp
field-kind = loại
field-extended = họp mở rộng
field-period = tháng được đánh giá
field-location = địa điểm
field-chair = người chủ trì
field-attendees = thành phần dự
field-authors = tác giả
field-source = nguồn tin
field-published = thời điểm đăng
field-summary = tóm tắt
field-tags = chủ đề
field-image = ảnh đại diện
field-draft = bản nháp
field-slug = tên đường dẫn của bài
field-indicators = các chỉ tiêu
field-id = mã
field-value = giá trị
field-unit = đơn vị tính
field-estimate = số ước tính
field-yoy = so với cùng kỳ
field-cumulative = lũy kế từ đầu năm
field-plan = tỷ lệ so với kế hoạch
field-extra = các mục tự do
field-name = tên
field-aliases = tên gọi khác
field-label = tên hiển thị
field-timezone = múi giờ
field-base_url = địa chỉ trang web
field-description = giới thiệu trang
field-language = ngôn ngữ
field-per_page = số bài mỗi trang
field-organs = danh mục cơ quan
field-glossary = bảng chú giải

## Lỗi trong bài viết và trong site.yaml

invalid-utf8 = tệp không được lưu theo bảng mã UTF-8 (chỗ hỏng ở byte thứ { $offset })
invalid-utf8-hint = mở tệp bằng trình soạn thảo rồi lưu lại với bảng mã UTF-8 (Unicode)
empty-file = tệp trống, không có nội dung
no-front-matter = bài viết thiếu phần thông tin đầu bài (giữa hai dòng ---)
no-front-matter-hint = bài viết bắt đầu bằng một dòng `---`, tiếp theo là tiêu đề, ngày họp, cơ quan (ví dụ: `date: 31/8/2023`), rồi một dòng `---` nữa
unclosed-front-matter = phần thông tin đầu bài chưa có dòng `---` để kết thúc
unclosed-front-matter-hint = thêm một dòng chỉ có `---` ngay sau mục cuối cùng của phần thông tin đầu bài
yaml = phần thông tin đầu bài viết sai quy cách: { $kind ->
    [quote] có dấu ngoặc kép mở mà chưa đóng
    [tab] có ký tự Tab; chỉ được thụt dòng bằng dấu cách
    [colon] có dấu hai chấm ở chỗ không được có (giá trị có dấu hai chấm thì đặt trong ngoặc kép)
    [duplicate] một mục được ghi hai lần
    [indent] các dòng thụt vào không thẳng hàng
    [character] có ký tự không được đứng đầu giá trị (như @ hoặc `); đặt giá trị trong ngoặc kép
   *[other] { $detail }
}
yaml-hint = kiểm tra dòng này và dòng ngay trên: dấu ngoặc kép phải đóng đủ, sau tên mục có dấu hai chấm và một dấu cách, các dòng con thụt vào bằng dấu cách
text-after-quote = sau dấu ngoặc kép đóng còn có chữ `{ $rest }`: giá trị phải nằm trọn trong ngoặc kép
text-after-quote-hint = đưa phần chữ này vào trong ngoặc kép, ví dụ: `title: "Hội nghị Ban Thường vụ tháng 8 (bổ sung)"`; dấu ngoặc kép nằm giữa giá trị thì viết là `\"`
unknown-key = không có mục nào tên là `{ $key }`
unknown-key-hint = có phải ý bạn là { $field }? (mục tự đặt thì ghi dưới `extra:`)
unknown-key-extra = mục tự đặt thì ghi dưới `extra:`
wrong-type = { $field } phải là { $expected ->
    [number] một con số
    [boolean] `true` (có) hoặc `false` (không)
    [list] một danh sách
    [text] một dòng chữ
    [group] một nhóm các mục con
   *[other] một giá trị đúng kiểu
}
wrong-choice = { $field } chỉ nhận một trong các giá trị { $choices }
wrong-type-number-hint = số thập phân viết bằng dấu chấm và không có dấu phân cách hàng nghìn: `351.05`, không viết `351,05`
wrong-type-boolean-hint = ghi `true` nếu đúng, `false` nếu không, ví dụ: `draft: true`
wrong-type-list-hint = ghi danh sách trong ngoặc vuông, ví dụ: `tags: [kinh tế, ngân sách]`
missing-field = thiếu { $field }
missing-field-hint = thêm vào phần thông tin đầu bài một dòng { $name ->
    [title] `title: Hội nghị Ban Thường vụ Huyện ủy tháng 8`
    [date] `date: 31/8/2023`
    [organ] `organ: Ban Thường vụ Huyện ủy`
    [id] `- id: thu-ngan-sach` (mã chỉ tiêu trong site.yaml)
    [name] `name: Ban Thường vụ Huyện ủy`
    [label] `label: Thu ngân sách`
    [unit] `unit: tỷ đồng`
   *[other] `{ $name }: …`
}
bad-date = `{ $value }` không phải là một ngày có thật
bad-date-hint = ghi ngày theo dạng ngày/tháng/năm, ví dụ: `date: 31/8/2023` (hoặc `2023-08-31`); có thể thêm giờ: `31/8/2023 08:30`
bad-month = `{ $value }` không phải là một tháng
bad-month-hint = ghi tháng theo dạng năm-tháng, ví dụ: `period: 2023-08`
bad-timezone = không có múi giờ `{ $value }`
bad-timezone-hint = Việt Nam dùng múi giờ `Asia/Ho_Chi_Minh`
unknown-organ = không có cơ quan `{ $name }` trong danh mục cơ quan
unknown-organ-hint = xem danh mục cơ quan (mục `organs`) trong site.yaml, ghi đúng tên, tên gọi khác hoặc mã của cơ quan
duplicate-organ = `{ $key }` được dùng cho nhiều cơ quan trong danh mục
duplicate-organ-hint = mỗi tên, tên gọi khác và mã chỉ được dùng cho một cơ quan
duplicate-indicator = hai chỉ tiêu cùng có mã `{ $id }`
duplicate-indicator-hint = mỗi chỉ tiêu cần một mã riêng: đổi mã của một trong hai, hoặc xóa chỉ tiêu ghi trùng
shared-indicator-name = `{ $name }` là tên của hai chỉ tiêu: `{ $first }` và `{ $second }`
shared-indicator-name-hint = mỗi tên và tên gọi khác (`aliases`) chỉ được dùng cho một chỉ tiêu, để bài viết nhắc đến tên đó được gắn đúng chỉ tiêu
unknown-indicator = không có chỉ tiêu `{ $id }` trong danh mục chỉ tiêu
unknown-indicator-hint = xem danh mục chỉ tiêu (mục `indicators`) trong site.yaml
unknown-area = không có địa bàn `{ $name }` trong danh mục địa bàn
unknown-area-hint = xem danh mục địa bàn (mục `areas`) trong site.yaml, ghi đúng tên, tên gọi khác hoặc mã của địa bàn
duplicate-area = `{ $key }` được dùng cho nhiều địa bàn trong danh mục
duplicate-area-hint = mỗi tên, tên gọi khác và mã chỉ được dùng cho một địa bàn
did-you-mean = có phải ý bạn là { $choices }?
unit-mismatch = chỉ tiêu `{ $id }` được ghi theo đơn vị `{ $unit }`
unit-mismatch-hint = danh mục ghi đơn vị của chỉ tiêu này là `{ $expected }`: bỏ dòng `unit` hoặc quy đổi số liệu sang `{ $expected }`
plan-out-of-range = tỷ lệ so với kế hoạch (`plan`) là { $value }%, nằm ngoài khoảng 0–1000%
plan-out-of-range-hint = `plan` là tỷ lệ phần trăm đã thực hiện so với kế hoạch, ví dụ: `plan: 38.18`
bad-slug = tên đường dẫn `{ $slug }` sẽ trỏ ra ngoài thư mục của bài
empty-slug = tên đường dẫn của bài để trống
slug-hint = tên đường dẫn chỉ gồm chữ không dấu, số và dấu gạch ngang, ví dụ: `slug: hoi-nghi-thang-8`
duplicate-url = địa chỉ { $url } trùng với bài { $other }
duplicate-url-hint = đặt cho một trong hai bài một tên đường dẫn khác (`slug:`)
not-a-document = tệp không phải là văn bản Word (.docx) đọc được
not-a-document-hint = mở tệp bằng Word hoặc LibreOffice rồi lưu lại dưới dạng .docx; hoặc chép nội dung vào tệp .txt
unchecked-note = bài không phải bản nháp nhưng vẫn còn dòng "# kiểm tra" của bantin import: "{ $note }"
unchecked-note-hint = xem lại giá trị mà ghi chú nói tới rồi xóa dòng ghi chú; hoặc giữ `draft: true` cho đến khi duyệt xong
template = mẫu trang bị lỗi: { $detail }
template-hint = sửa mẫu trang trong thư mục templates/, hoặc xóa tệp đó để dùng lại mẫu có sẵn
cumulative-falls = số lũy kế của chỉ tiêu `{ $id }` giảm trong năm, từ { $from } xuống { $to }
plan-falls = tỷ lệ so với kế hoạch của chỉ tiêu `{ $id }` giảm trong năm, từ { $from }% xuống { $to }%
compare-with = đối chiếu với bài { $earlier }
value-above-cumulative = chỉ tiêu `{ $id }`: số của tháng ({ $value }) lớn hơn số lũy kế từ đầu năm ({ $cumulative })
value-above-cumulative-hint = số lũy kế từ đầu năm đã gồm cả tháng này nên không thể nhỏ hơn số của tháng
broken-link = liên kết `{ $target }` không dẫn tới trang nào
broken-link-hint = liên kết tới một trang của trang web (ví dụ: `/2023/08/hoi-nghi-thang-8/`) hoặc tới một tệp đặt cạnh bài viết
missing-image = không có tệp ảnh `{ $target }`
missing-image-hint = đặt tệp ảnh vào cùng thư mục với bài viết, hoặc sửa lại tên tệp trong bài
markdown-link = liên kết `{ $target }` trỏ tới tệp bài viết (.md), không phải tới trang của bài
markdown-link-hint = liên kết tới trang của bài: `{ $url }`
markdown-link-any-hint = liên kết tới trang của bài, ví dụ: `/2023/08/hoi-nghi-thang-8/`
long-summary = phần tóm tắt dài { $chars } ký tự (quá { $max } ký tự)
long-summary-hint = rút gọn `summary:` còn không quá { $max } ký tự (hoặc đổi giới hạn bằng --summary-max)
long-summary-lead-hint = bài không có `summary:` nên đoạn đầu được dùng làm tóm tắt; thêm `summary:` không quá { $max } ký tự (hoặc đổi giới hạn bằng --summary-max)
no-summary = bài viết không có phần tóm tắt
no-summary-hint = thêm `summary:` vào phần thông tin đầu bài, hoặc viết một đoạn mở đầu
unused-organ = cơ quan `{ $id }` chưa có bài viết nào
unused-indicator = chỉ tiêu `{ $id }` chưa có bài viết nào dùng
unused-hint = có thể xóa khỏi danh mục trong site.yaml, hoặc giữ lại cho các bài sau
unreferenced-file = chưa bài viết nào dẫn tới tệp này
unreferenced-file-hint = tệp không được đăng vì không bài nào dẫn tới; hãy chèn vào bài viết hoặc xóa tệp
broken-page-link = { $others ->
    [0] liên kết `{ $target }` không dẫn tới trang nào
   *[other] liên kết `{ $target }` không dẫn tới trang nào (và ở { $others } trang khác)
}
broken-page-link-hint = liên kết này nằm trong mẫu trang (thư mục templates/) hoặc trong đoạn HTML viết trực tiếp trong bài
unusable-key = `{ $key }` không dùng được làm tên mục
unusable-key-hint = tên mục là một chữ, ví dụ: `image_alt:`; nếu muốn ghi chữ ~ thì viết `"~":`
number-out-of-range = { $field }: `{ $value }` không phải là con số có thể hiển thị
number-out-of-range-hint = ghi con số bằng chữ số, nhỏ hơn { $largest } (ví dụ: `351.05`)
empty-tag-slug = thẻ `{ $tag }` không có chữ cái hay chữ số nào để làm đường dẫn
empty-tag-slug-hint = thẻ cần có ít nhất một chữ cái hoặc chữ số, ví dụ: `ngân sách`
empty-id = mã (`id`) trống hoặc không có chữ cái, chữ số nào, nên không làm được đường dẫn
empty-id-hint = mã cần có chữ cái hoặc chữ số, ví dụ: `hdnd-huyen`
too-many-tags = bài viết có { $count } thẻ, nhiều hơn mức tối đa { $max }
too-many-tags-hint = chỉ giữ lại tối đa { $max } thẻ nói đúng nhất nội dung bài; thẻ dùng để tìm các hội nghị liên quan
year-out-of-range = năm { $year } không hợp lý
year-out-of-range-hint = năm của ngày tháng phải nằm trong khoảng từ { $first } đến { $last }
outside-site = `{ $target }` dẫn ra ngoài thư mục của trang
outside-site-hint = chỉ những tệp nằm trong thư mục của trang mới được đăng: chép tệp vào cạnh bài viết rồi dẫn tới bằng tên tệp
forbidden-attachment = { $typed ->
    [no] `{ $target }` không rõ là loại tệp gì nên không được đăng kèm bài viết
   *[other] `{ $target }`: tệp .{ $extension } không được đăng kèm bài viết
}
forbidden-attachment-hint = { $kind ->
    [page] trang web có thể chạy mã lệnh trên trang của mình: chép nội dung vào bài viết, hoặc lưu thành tệp PDF
    [drawing] hình vẽ SVG có thể chạy mã lệnh trên trang của mình: xuất hình ra tệp PNG
   *[other] chỉ đăng kèm được các loại tệp: { $allowed }; hãy lưu tệp thành một trong các loại đó (ví dụ PDF)
}
image-too-large = ảnh `{ $target }` quá lớn, không đọc được ({ $width }×{ $height } điểm ảnh)
image-too-large-hint = bantin chỉ đọc ảnh có mỗi chiều không quá { $side } điểm ảnh; hãy lưu ảnh nhỏ lại (rộng 2000 điểm ảnh là đủ cho trang web)
image-unreadable = không đọc được ảnh `{ $target }`: { $detail }
image-unreadable-hint = tệp ảnh bị hỏng hoặc không thật sự là JPEG hay PNG: mở ảnh rồi lưu lại dưới dạng JPEG
typed-number = `{ $text }` không phải là con số
typed-number-hint = gõ số theo cách viết tiếng Việt: dấu phẩy trước phần thập phân, dấu chấm giữa các hàng nghìn, ví dụ: `351,05`, `1.234,5`, `-3,2`

## Khi không thể làm tiếp (lỗi đọc ghi tệp, yêu cầu không hợp lệ)

error-line = lỗi: { $message }
failed = { $step ->
    [reading] không đọc được { $path }
    [writing] không ghi được { $path }
    [creating] không tạo được { $path }
    [removing] không xóa được { $path }
    [decoding] không đọc được ảnh { $path }
    [copying] không sao chép được { $path }
    [watching] không theo dõi được các thay đổi trong { $path }
    [moving-aside] không dời được { $path } sang chỗ tạm
    [moving-into-place] không đưa được { $path } vào đúng chỗ
   *[opening] không mở được { $path }
}
io-not-found = không tìm thấy tệp hoặc thư mục
io-permission-denied = không có quyền truy cập
io-already-exists = đã có sẵn
io-other = { $detail }
no-site-yaml = không có tệp site.yaml trong { $root } (tùy chọn --root đã chỉ đúng thư mục của trang chưa?)
output-needs-name = thư mục xuất bản phải có tên
outside-output = từ chối ghi ra ngoài thư mục xuất bản: { $path }
folder-not-empty = thư mục { $dir } không trống; `bantin init` chỉ tạo trang trong thư mục mới hoặc thư mục trống
already-exists = { $path } đã có; bantin không ghi đè
bad-date-argument = --date `{ $value }` không phải là ngày; ghi theo dạng 31/8/2023 hoặc 2023-08-31
bad-period-argument = --period `{ $value }` không phải là tháng; ghi theo dạng 2023-08
empty-file-name = tiêu đề không tạo ra được tên tệp; tiêu đề cần có chữ hoặc số
listening-failed = không mở được địa chỉ { $address } (có máy chủ khác đang dùng cổng này không?)
serve-start-failed = không khởi động được máy chủ xem trước
unknown-language = BANTIN_LANG=`{ $code }`: bantin chỉ có tiếng Việt (`vi`) và tiếng Anh (`en`)
output-refused = { $reason ->
    [site-root] thư mục xuất bản { $output } chính là thư mục của trang; tạo trang vào đó sẽ xóa mất site.yaml, content/ và templates/
    [holds-site] thư mục xuất bản { $output } chứa cả thư mục của trang ({ $root }); tạo trang vào đó sẽ xóa mất cả trang
    [source-folder] thư mục xuất bản { $output } nằm trong thư mục { $folder }/ của trang hoặc chứa thư mục đó; tạo trang vào đó sẽ xóa mất các tệp trong đó
    [not-a-folder] { $output } không phải là một thư mục
    [broken-link] { $output } là lối tắt tới một thư mục không còn tồn tại
   *[not-ours] thư mục xuất bản { $output } đang chứa những tệp không phải do bantin tạo ra; tạo trang vào đó sẽ xóa mất các tệp ấy
}
output-refused-hint = { $reason ->
    [broken-link] tạo thư mục mà lối tắt trỏ tới, hoặc chọn thư mục khác bằng --output
    [not-ours] chọn một thư mục mới hoặc thư mục trống, hoặc thêm --force nếu chắc chắn muốn thay toàn bộ nội dung thư mục này
   *[other] chọn một thư mục mới nằm cạnh các thư mục của trang, ví dụ: --output public
}
internal-error = { $count ->
    [0] lỗi bên trong bantin (lỗi của chương trình, không phải của bài viết) khi tạo lại trang: { $detail }
   *[other] lỗi bên trong bantin (lỗi của chương trình, không phải của bài viết) khi tạo lại trang sau khi sửa { $files }: { $detail }
}

unknown-argument = không có tùy chọn `{ $arg }`
unknown-command = không có lệnh `{ $arg }`
missing-argument = thiếu { $arg }
invalid-value = { $arg } không nhận giá trị `{ $value }`
see-help = Gõ `bantin --help` (hoặc `bantin <lệnh> --help`) để xem cách dùng.

## Kết quả của các lệnh

site-built = { $files ->
    [0] Đã tạo { $pages } trang từ { $articles } bài viết trong { $seconds } giây
   *[other] Đã tạo { $pages } trang từ { $articles } bài viết, kèm { $files } tệp ảnh và tài liệu, trong { $seconds } giây
}
site-checked = Đã kiểm tra { $articles } bài viết, { $pages } trang trong { $seconds } giây: không có lỗi
errors-found = { $count ->
    [one] Có 1 lỗi; chưa ghi tệp nào
   *[other] Có { $count } lỗi; chưa ghi tệp nào
}
init-created = Đã tạo trang mới trong { $dir } ({ $files } tệp)
init-next = Tiếp theo: bantin serve --root { $dir }   (xem trước trong trình duyệt) hoặc bantin build --root { $dir }
import-done = { $from } -> { $to }
import-date = ngày họp: { $value }
import-organ = cơ quan: { $value }
import-chair = chủ trì: { $value }
import-attendees = thành phần dự: { $value }
import-authors = tác giả: { $names } ({ $source })
import-images = ảnh: { $count }
import-indicators = chỉ tiêu: { $value }
import-checks = cần kiểm tra (các dòng # kiểm tra): { $count }

## Ghi chú của bantin import (dòng # kiểm tra trong bài được nhập)

import-header = Nhập bằng `bantin import` từ { $origin }. Xem lại các dòng "# kiểm tra:" rồi xóa chúng; đổi `draft: true` thành `draft: false` để đăng.
import-check = kiểm tra: { $note }
import-pasted = văn bản dán vào trang soạn bài
note-no-source = dòng cuối không ghi đơn vị đưa tin
note-no-byline = không nhận ra dòng tác giả ở cuối bài
note-image = ảnh "{ $caption }": đặt tệp { $file } cạnh bài viết (hoặc sửa tên trong bài)
note-summary = đoạn đầu dài { $length } ký tự; nên viết `summary:` ngắn hơn { $max } ký tự
note-no-organs = site.yaml không có danh mục cơ quan: ghi tên cơ quan vào `organ:`
note-organ-from-lead = cơ quan lấy từ đoạn đầu, tiêu đề không nêu
note-organ-unknown = không nhận ra cơ quan; danh mục có: { $known }
note-no-date = không tìm thấy ngày họp (như "sáng ngày 31/8")
note-years = bài nêu nhiều năm ({ $years }); năm họp đoán là năm gặp nhiều nhất
note-year-from-folder = năm họp lấy từ thư mục của tệp, bài không nêu
note-no-year = ngày { $day }: không rõ năm
note-no-such-day = ngày { $day } không có thật
note-period-after = tháng được đánh giá (`period`) sau tháng họp: kiểm tra lại
note-no-chair = không tìm thấy người chủ trì ("Đồng chí … chủ trì")
note-name = "{ $name }" có phải là tên người không?
note-indicator = "{ $words }" có đúng là chỉ tiêu "{ $label }" không?
note-fraction = "{ $shown }": phân số, chưa ghi
note-dot = số `{ $number }` không rõ: dấu chấm ở đây là hàng nghìn hay thập phân?
note-yoy = "{ $shown }": mức tăng, giảm so với cùng kỳ chưa ghi
note-percent = "{ $shown }": tỷ lệ chưa ghi (`plan` là % kế hoạch năm)
note-unit = "{ $shown }": đơn vị khác với danh mục ({ $unit }), chưa ghi
note-another-figure = "{ $shown }": một số liệu nữa, chưa ghi
note-added = "{ $shown }": số tăng thêm trong kỳ, chưa ghi
note-other-period = "{ $shown }": số liệu của kỳ khác (kỳ tới hoặc năm khác), chưa ghi
note-converted = "{ $shown }": đã đổi sang đơn vị của danh mục: { $value } { $unit }

## Máy chủ xem trước (bantin serve)

serve-built = Đã tạo { $pages } trang từ { $articles } bài viết trong { $seconds } giây
serve-listening = Đang phục vụ { $url } (bấm Ctrl+C để dừng)
serve-editor-on-network = Trang soạn bài mở cho máy khác trong mạng; chỉ ai có địa chỉ này (thay 0.0.0.0 bằng địa chỉ của máy này) mới vào được: { $url }
serve-rebuilt = { $time } đã tạo lại { $pages } trang trong { $millis } ms
serve-latency = độ trễ: { $total } ms từ lúc sửa tệp đến lúc báo tải lại ({ $first ->
    [none] {""}
   *[other] trang vừa sửa sau { $first } ms;{" "}
}{ $rebuild } ms tạo lại: { $phases })
serve-errors = { $time } có { $count } lỗi; vẫn đang hiển thị bản tốt gần nhất
serve-fixed = { $time } đã sửa xong lỗi
serve-failed = { $time } lỗi: { $message }
serve-refused-host = Máy chủ xem trước chỉ trả lời khi được mở bằng địa chỉ của chính nó: hãy mở địa chỉ in ra lúc chạy bantin serve.
serve-refused-outside = Đường dẫn này không thuộc trang web (nó dẫn ra ngoài thư mục của trang) nên không được mở.
overlay-title = bantin: lần sửa vừa rồi có lỗi; trang đang hiển thị bản tốt gần nhất.
overlay-hide = Ẩn thông báo lỗi

## Trợ giúp dòng lệnh (bantin --help)

help-template =
    {"{"}about{"}"}

    Cách dùng: {"{"}usage{"}"}

    {"{"}all-args{"}"}
help-commands = Các lệnh
help-arguments = Tham số
help-options = Tùy chọn
help-usage-options = TÙY_CHỌN
help-default = { $help } (mặc định: { $value })
help-usage-command = LỆNH
cmd-bantin = Tạo trang tin lưu trữ các hội nghị, kỳ họp từ bài viết Markdown
arg-help = In trợ giúp này
arg-version = In số phiên bản
arg-lang = Ngôn ngữ của các lời nhắn: vi (tiếng Việt) hoặc en (tiếng Anh); cũng đặt được bằng BANTIN_LANG
    .value = NGÔN_NGỮ
cmd-build = Tạo trang web vào thư mục xuất bản (mặc định là public/)
cmd-check = Kiểm tra mọi thứ như khi tạo trang, cùng các liên kết; không ghi gì cả
cmd-serve = Xem trước trang trong trình duyệt, tự tạo lại và tải lại sau mỗi lần sửa
cmd-init = Tạo một trang mới trong thư mục trống, kèm một bài viết mẫu
cmd-new = Tạo một bài viết mới với đầy đủ phần thông tin đầu bài
cmd-import = Chuyển bài viết (văn bản thường .txt, văn bản Word .docx hoặc trang .html đã lưu) thành bài Markdown có phần thông tin đầu bài
arg-root = Thư mục của trang, nơi có tệp site.yaml
    .value = THƯ_MỤC
arg-output = Thư mục ghi trang web ra, tính từ thư mục của trang
    .value = THƯ_MỤC
arg-drafts = Tạo cả bản nháp và các bài hẹn giờ đăng sau
arg-check-drafts = Kiểm tra cả bản nháp và các bài hẹn giờ đăng sau
arg-base-url = Địa chỉ trang web, thay cho base_url trong site.yaml
    .value = ĐỊA_CHỈ
arg-force = Cho phép thay toàn bộ một thư mục xuất bản đang chứa tệp không do bantin tạo ra (không bao giờ áp dụng cho các thư mục của trang)
arg-summary-max = Cảnh báo khi phần tóm tắt dài quá số ký tự này
    .value = SỐ_KÝ_TỰ
arg-bind = Địa chỉ để mở máy chủ; máy khác chỉ vào xem được khi địa chỉ không phải 127.0.0.1
    .value = ĐỊA_CHỈ_IP
arg-port = Cổng của máy chủ; 0 là một cổng bất kỳ còn trống
    .value = CỔNG
arg-open = Mở trang trong trình duyệt mặc định
arg-editor-on-network = Mở cả trang soạn bài (/_soan/) cho máy khác khi --bind không phải 127.0.0.1; vào bằng địa chỉ có mã được in ra khi khởi động
arg-dir = Thư mục để tạo trang; phải là thư mục mới hoặc thư mục trống
    .value = THƯ_MỤC
arg-title = Tiêu đề bài viết
    .value = TIÊU_ĐỀ
arg-organ = Cơ quan họp: tên, tên gọi khác hoặc mã trong site.yaml
    .value = CƠ_QUAN
arg-date = Ngày họp, dạng 31/8/2023 hoặc 2023-08-31 (mặc định: hôm nay)
    .value = NGÀY
arg-period = Tháng được đánh giá, dạng 2023-08 (mặc định: tháng trước ngày họp)
    .value = THÁNG
arg-tags = Một chủ đề của bài; lặp lại để thêm chủ đề
    .value = CHỦ_ĐỀ
arg-files = Các bài dạng văn bản thường: dòng đầu là tiêu đề, dòng cuối là tên tác giả
    .value = TỆP
arg-out = Thư mục ghi các bài Markdown, tính từ thư mục của trang
    .value = THƯ_MỤC
