package i18n

// texts is the catalogue: key → language → text/template. Every key has a
// Russian and an English text (checked at start). Templates get the data
// passed to T; plural picks a word form ("балл", "балла", "баллов").
var texts = map[string]map[string]string{
	// notifications (outbox kinds; see hooks/notify)
	"notify.points": {
		RU: `{{if gt .amount 0}}+{{end}}{{.amount}} {{plural .amount "балл" "балла" "баллов"}}{{with .reason_text}} {{.}}{{end}}.{{with .note}} {{.}}{{end}}
Баланс: {{.balance}} {{plural .balance "балл" "балла" "баллов"}}.`,
		EN: `{{if gt .amount 0}}+{{end}}{{.amount}} {{plural .amount "point" "points"}}{{with .reason_text}} {{.}}{{end}}.{{with .note}} {{.}}{{end}}
Balance: {{.balance}} {{plural .balance "point" "points"}}.`,
	},
	"reason.checkin":           {RU: "за посещение митапа", EN: "for attending a meetup"},
	"reason.session":           {RU: "за занятие курса", EN: "for a course session"},
	"reason.course_completion": {RU: "за завершение курса", EN: "for completing a course"},
	"reason.achievement":       {RU: "за достижение", EN: "for an achievement"},
	"reason.claim":             {RU: "за подтверждённое достижение", EN: "for your approved claim"},
	"reason.quiz":              {RU: "за квиз", EN: "for a quiz"},
	"reason.raffle":            {RU: "в розыгрыше", EN: "in a raffle"},
	"reason.correction":        {RU: "— корректировка", EN: "— a correction"},
	"notify.level_up": {
		RU: `🎉 Новый уровень: {{.to}}{{with .title}} — «{{.}}»{{end}}!`,
		EN: `🎉 You reached level {{.to}}{{with .title}} — “{{.}}”{{end}}!`,
	},
	"notify.level_down": {
		RU: `Ваш уровень теперь {{.to}}{{with .title}} — «{{.}}»{{end}}.`,
		EN: `Your level is now {{.to}}{{with .title}} — “{{.}}”{{end}}.`,
	},
	"notify.achievement": {
		RU: `🏆 Новое достижение: «{{.title}}»{{if gt .points 0}} (+{{.points}} {{plural .points "балл" "балла" "баллов"}}){{end}}{{with .description}}
{{.}}{{end}}`,
		EN: `🏆 New achievement: “{{.title}}”{{if gt .points 0}} (+{{.points}} {{plural .points "point" "points"}}){{end}}{{with .description}}
{{.}}{{end}}`,
	},
	"notify.claim_approved": {
		RU: `✅ Заявка «{{.title}}» одобрена{{if gt .points 0}}: +{{.points}} {{plural .points "балл" "балла" "баллов"}}{{end}}.{{with .reason}}
Комментарий: {{.}}{{end}}`,
		EN: `✅ Your claim “{{.title}}” was approved{{if gt .points 0}}: +{{.points}} {{plural .points "point" "points"}}{{end}}.{{with .reason}}
Note: {{.}}{{end}}`,
	},
	"notify.claim_rejected": {
		RU: `❌ Заявка «{{.title}}» отклонена.{{with .reason}}
Причина: {{.}}{{end}}`,
		EN: `❌ Your claim “{{.title}}” was rejected.{{with .reason}}
Reason: {{.}}{{end}}`,
	},
	"notify.verification_pending": {
		RU: `📷 Фото получено и отправлено на проверку. Мы сообщим о результате.`,
		EN: `📷 Photo received and sent for review. We will tell you the result.`,
	},
	"notify.verification_approved": {
		RU: `✅ Профиль подтверждён.`,
		EN: `✅ Your profile is verified.`,
	},
	"notify.verification_rejected": {
		RU: `❌ Фото для подтверждения профиля не принято.{{with .reason}} Причина: {{.}}{{end}}
Пришлите новое фото, на котором видны лицо и студенческий билет.`,
		EN: `❌ Your verification photo was not accepted.{{with .reason}} Reason: {{.}}{{end}}
Please send a new photo showing your face and student ID.`,
	},

	// the bot's own screens
	"start.welcome": {
		RU: `Привет! Это бот IT-сообщества: митапы, курсы, баллы и достижения.`,
		EN: `Hi! This is the IT community bot: meetups, courses, points and achievements.`,
	},
	"start.back": {
		RU: `С возвращением, {{.name}}!`,
		EN: `Welcome back, {{.name}}!`,
	},
	"onboard.first_name": {
		RU: `Давайте познакомимся. Как вас зовут? Напишите имя.`,
		EN: `Let's get acquainted. What is your first name?`,
	},
	"onboard.last_name": {
		RU: `Спасибо! Теперь напишите фамилию.`,
		EN: `Thanks! Now your last name, please.`,
	},
	"onboard.study_group": {
		RU: `И последнее: ваша учебная группа (например, ИТ-21).`,
		EN: `And last: your study group (e.g. IT-21).`,
	},
	"onboard.invalid": {
		RU: `Напишите это обычным текстом, не длиннее {{.max}} символов.`,
		EN: `Please write it as plain text, at most {{.max}} characters.`,
	},
	"onboard.done": {
		RU: `Готово, {{.name}}! Профиль создан.`,
		EN: `Done, {{.name}}! Your profile is ready.`,
	},
	"menu.title": {
		RU: `Главное меню. Выберите раздел:`,
		EN: `Main menu. Choose a section:`,
	},
	"menu.meetups":      {RU: `📅 Митапы`, EN: `📅 Meetups`},
	"menu.courses":      {RU: `📚 Курсы`, EN: `📚 Courses`},
	"menu.claims":       {RU: `🏅 Мои заявки`, EN: `🏅 My claims`},
	"menu.profile":      {RU: `👤 Профиль`, EN: `👤 Profile`},
	"menu.verification": {RU: `🪪 Подтверждение профиля`, EN: `🪪 Verification`},
	"menu.app":          {RU: `📱 Приложение`, EN: `📱 App`},
	"menu.soon": {
		RU: `Этот раздел скоро появится.`,
		EN: `This section is coming soon.`,
	},
	"help": {
		RU: `Я бот IT-сообщества. Команды:
/menu — главное меню
/start — начать заново
/help — эта подсказка`,
		EN: `I am the IT community bot. Commands:
/menu — main menu
/start — start over
/help — this help`,
	},
	"unknown.text": {
		RU: `Я не понял сообщение. Откройте /menu или напишите /help.`,
		EN: `I did not understand that. Open /menu or send /help.`,
	},
	"unknown.button": {
		RU: `Эта кнопка устарела. Вот актуальное меню.`,
		EN: `This button is outdated. Here is the current menu.`,
	},
	"need_start": {
		RU: `Нажмите /start, чтобы начать.`,
		EN: `Send /start to begin.`,
	},
	"error": {
		RU: `Что-то пошло не так. Попробуйте ещё раз чуть позже.`,
		EN: `Something went wrong. Please try again a bit later.`,
	},
	"cmd.start": {RU: `Начать`, EN: `Start`},
	"cmd.menu":  {RU: `Главное меню`, EN: `Main menu`},
	"cmd.help":  {RU: `Помощь`, EN: `Help`},

	// claims, profile, verification

	// claims
	"claims.empty": {
		RU: `🏅 У вас пока нет заявок.
Заявка — это рассказ о личном достижении: победа в хакатоне, сертификат, выступление на конференции. Организаторы проверят её и начислят баллы.`,
		EN: `🏅 You have no claims yet.
A claim tells about a personal achievement: a hackathon win, a certificate, a conference talk. The organizers review it and award points.`,
	},
	"claims.list": {
		RU: `🏅 Ваши заявки:

{{.list}}{{if gt .more 0}}
…и ещё {{.more}}{{end}}`,
		EN: `🏅 Your claims:

{{.list}}{{if gt .more 0}}
…and {{.more}} more{{end}}`,
	},
	"claims.item": {
		RU: `{{.n}}. «{{.title}}» ({{.date}}) — {{.status}}{{if gt .points 0}}, +{{.points}} {{plural .points "балл" "балла" "баллов"}}{{end}}{{with .note}}
    💬 {{.}}{{end}}`,
		EN: `{{.n}}. “{{.title}}” ({{.date}}) — {{.status}}{{if gt .points 0}}, +{{.points}} {{plural .points "point" "points"}}{{end}}{{with .note}}
    💬 {{.}}{{end}}`,
	},
	"claims.status.pending":  {RU: `⏳ на рассмотрении`, EN: `⏳ under review`},
	"claims.status.approved": {RU: `✅ одобрена`, EN: `✅ approved`},
	"claims.status.rejected": {RU: `❌ отклонена`, EN: `❌ rejected`},
	"claims.draft_open": {
		RU: `✏️ У вас есть незаконченная заявка{{with .title}} «{{.}}»{{end}}.`,
		EN: `✏️ You have an unfinished claim{{with .title}} “{{.}}”{{end}}.`,
	},
	"claims.continuing": {
		RU: `Продолжаем незаконченную заявку.`,
		EN: `Let's finish the claim you started.`,
	},
	"claims.ask_title": {
		RU: `📝 Новая заявка. Как назвать достижение? Коротко, до {{.max}} символов — например, «Победа в хакатоне».`,
		EN: `📝 New claim. What is the achievement? A short title, up to {{.max}} characters — e.g. “Won a hackathon”.`,
	},
	"claims.ask_description": {
		RU: `Расскажите подробнее про «{{.title}}»: что, где и когда (до {{.max}} символов). Или нажмите «Пропустить».`,
		EN: `Tell more about “{{.title}}”: what, where and when (up to {{.max}} characters). Or press “Skip”.`,
	},
	"claims.ask_files": {
		RU: `📎 Пришлите подтверждения: до {{.max}} фото или файлов (изображения или PDF, до {{.mb}} МБ каждый).{{if gt .n 0}} Уже приложено: {{.n}}.{{end}} Когда всё готово, нажмите «Отправить».`,
		EN: `📎 Send the evidence: up to {{.max}} photos or files (images or PDF, up to {{.mb}} MB each).{{if gt .n 0}} Attached so far: {{.n}}.{{end}} When you are done, press “Send”.`,
	},
	"claims.text_first": {
		RU: `Сейчас нужен текст, а файлы — чуть позже.`,
		EN: `Text first, please; files come next.`,
	},
	"claims.invalid_text": {
		RU: `Напишите это обычным текстом, не длиннее {{.max}} символов.`,
		EN: `Please write it as plain text, at most {{.max}} characters.`,
	},
	"claims.need_files": {
		RU: `Пришлите фото или PDF-файл — или нажмите «Отправить», если всё приложено.`,
		EN: `Send a photo or a PDF file — or press “Send” if everything is attached.`,
	},
	"claims.bad_type": {
		RU: `Этот файл не подходит: принимаются изображения (JPEG, PNG, WebP, GIF) и PDF.`,
		EN: `This file type is not accepted: send images (JPEG, PNG, WebP, GIF) or PDF.`,
	},
	"claims.duplicate": {
		RU: `Этот файл уже приложен.`,
		EN: `This file is attached already.`,
	},
	"claims.too_many": {
		RU: `Можно приложить не больше {{.max}} файлов. Нажмите «Отправить» или «Отменить».`,
		EN: `At most {{.max}} files can be attached. Press “Send” or “Cancel”.`,
	},
	"claims.too_large": {
		RU: `Файл слишком большой: можно до {{.mb}} МБ.`,
		EN: `The file is too large: up to {{.mb}} MB, please.`,
	},
	"claims.file_gone": {
		RU: `Telegram больше не отдаёт этот файл — пришлите его ещё раз.`,
		EN: `Telegram no longer has this file — please send it again.`,
	},
	"claims.file_added": {
		RU: `📎 Приложено {{.n}} из {{.max}}. Пришлите ещё или нажмите «Отправить».`,
		EN: `📎 Attached {{.n}} of {{.max}}. Send more or press “Send”.`,
	},
	"claims.file_refused": {
		RU: `Файл {{.n}} не принят. {{.reason}}`,
		EN: `File {{.n}} was not accepted. {{.reason}}`,
	},
	"claims.files_left": {
		RU: `Непринятые файлы убраны из заявки, приложено: {{.n}}. Пришлите замену или нажмите «Отправить».`,
		EN: `The files not accepted were removed from the claim; attached: {{.n}}. Send replacements or press “Send”.`,
	},
	"claims.refused": {
		RU: `Заявку не удалось отправить: {{.reason}}`,
		EN: `The claim could not be sent: {{.reason}}`,
	},
	"claims.cancelled": {
		RU: `Заявка отменена, ничего не отправлено.`,
		EN: `Claim cancelled; nothing was sent.`,
	},
	"claims.already_sent": {
		RU: `Эта заявка уже отправлена.`,
		EN: `This claim has been sent already.`,
	},
	"claims.stale": {
		RU: `Эта форма заявки уже закрыта.`,
		EN: `This claim form is closed.`,
	},
	"claims.sent": {
		RU: `✅ Заявка «{{.title}}» отправлена на проверку{{if gt .files 0}} ({{.files}} {{plural .files "файл" "файла" "файлов"}}){{end}}. Мы сообщим о решении.`,
		EN: `✅ Your claim “{{.title}}” was sent for review{{if gt .files 0}} ({{.files}} {{plural .files "file" "files"}}){{end}}. We will tell you the decision.`,
	},
	"claims.stray_media": {
		RU: `Я получил файл, но сейчас его не жду. Чтобы приложить его к заявке, начните новую заявку; если это фото для подтверждения профиля — нажмите кнопку ниже и пришлите его ещё раз.`,
		EN: `I got a file but was not expecting one. To attach it to a claim, start a new claim; if it is a photo to verify your profile, press the button below and send it again.`,
	},
	"claims.btn.new":      {RU: `➕ Новая заявка`, EN: `➕ New claim`},
	"claims.btn.continue": {RU: `✏️ Продолжить`, EN: `✏️ Continue`},
	"claims.btn.cancel":   {RU: `✖️ Отменить`, EN: `✖️ Cancel`},
	"claims.btn.skip":     {RU: `⏭ Пропустить`, EN: `⏭ Skip`},
	"claims.btn.done":     {RU: `✅ Отправить`, EN: `✅ Send`},
	"claims.btn.list":     {RU: `🏅 Мои заявки`, EN: `🏅 My claims`},
	"claims.btn.verify":   {RU: `🪪 Это фото для подтверждения`, EN: `🪪 It is my verification photo`},
	"claims.btn.menu":     {RU: `🏠 Меню`, EN: `🏠 Menu`},

	// profile
	"profile.own": {
		RU: `👤 {{.name}}{{with .group}}
Группа: {{.}}{{end}}
⭐ {{.points}} {{plural .points "балл" "балла" "баллов"}}
{{.level}}
🏆 {{if gt .rank 0}}Место в рейтинге: {{.rank}} из {{.total}}{{else}}В рейтинге пока нет — заработайте первые баллы.{{end}}
🪪 Подтверждение: {{.verification}}
🎖 Достижения:{{with .achievements}}
{{.}}{{else}} пока нет{{end}}`,
		EN: `👤 {{.name}}{{with .group}}
Group: {{.}}{{end}}
⭐ {{.points}} {{plural .points "point" "points"}}
{{.level}}
🏆 {{if gt .rank 0}}Leaderboard place: {{.rank}} of {{.total}}{{else}}Not on the leaderboard yet — earn your first points.{{end}}
🪪 Verification: {{.verification}}
🎖 Achievements:{{with .achievements}}
{{.}}{{else}} none yet{{end}}`,
	},
	"profile.public": {
		RU: `👤 {{.name}}{{if .verified}}
✔️ Профиль подтверждён{{end}}
⭐ {{.points}} {{plural .points "балл" "балла" "баллов"}}
{{.level}}
🏆 {{if gt .rank 0}}Место в рейтинге: {{.rank}} из {{.total}}{{else}}В рейтинге пока нет.{{end}}
🎖 Достижения:{{with .achievements}}
{{.}}{{else}} пока нет{{end}}`,
		EN: `👤 {{.name}}{{if .verified}}
✔️ Verified profile{{end}}
⭐ {{.points}} {{plural .points "point" "points"}}
{{.level}}
🏆 {{if gt .rank 0}}Leaderboard place: {{.rank}} of {{.total}}{{else}}Not on the leaderboard yet.{{end}}
🎖 Achievements:{{with .achievements}}
{{.}}{{else}} none yet{{end}}`,
	},
	"profile.level": {
		RU: `📈 Уровень {{.level}}{{with .title}} «{{.}}»{{end}}{{if gt .next 0}}
{{.bar}} {{.pct}}% — до уровня {{.next}} ещё {{.left}} {{plural .left "балл" "балла" "баллов"}}{{else}} — высший{{end}}`,
		EN: `📈 Level {{.level}}{{with .title}} “{{.}}”{{end}}{{if gt .next 0}}
{{.bar}} {{.pct}}% — {{.left}} {{plural .left "point" "points"}} to level {{.next}}{{else}} — the highest{{end}}`,
	},
	"profile.top": {
		RU: `🏆 Рейтинг{{if gt .total .shown}}: первые {{.shown}} из {{.total}}{{end}}

{{.list}}

{{if gt .my_rank 0}}Ваше место: {{.my_rank}} ({{.my_points}} {{plural .my_points "балл" "балла" "баллов"}}).{{else}}У вас пока нет баллов.{{end}}
Нажмите на имя, чтобы открыть профиль.`,
		EN: `🏆 Leaderboard{{if gt .total .shown}}: top {{.shown}} of {{.total}}{{end}}

{{.list}}

{{if gt .my_rank 0}}Your place: {{.my_rank}} ({{.my_points}} {{plural .my_points "point" "points"}}).{{else}}You have no points yet.{{end}}
Press a name to open their profile.`,
	},
	"profile.top_item": {
		RU: `{{.rank}}. {{.name}} — {{.points}} {{plural .points "балл" "балла" "баллов"}}, ур. {{.level}}{{if .me}} ← вы{{end}}`,
		EN: `{{.rank}}. {{.name}} — {{.points}} {{plural .points "point" "points"}}, level {{.level}}{{if .me}} ← you{{end}}`,
	},
	"profile.top_empty": {
		RU: `🏆 В рейтинге пока никого: баллов ещё ни у кого нет.`,
		EN: `🏆 The leaderboard is empty: nobody has points yet.`,
	},
	"profile.gone": {
		RU: `Этого профиля больше нет.`,
		EN: `This profile no longer exists.`,
	},
	"profile.more":         {RU: `…и ещё {{.n}}`, EN: `…and {{.n}} more`},
	"profile.btn.top":      {RU: `🏆 Рейтинг`, EN: `🏆 Leaderboard`},
	"profile.btn.verify":   {RU: `🪪 Подтверждение`, EN: `🪪 Verification`},
	"profile.btn.back_top": {RU: `⬅️ К рейтингу`, EN: `⬅️ Leaderboard`},
	"profile.btn.me":       {RU: `👤 Мой профиль`, EN: `👤 My profile`},
	"profile.btn.menu":     {RU: `🏠 Меню`, EN: `🏠 Menu`},

	// verification
	"verify.status.none":     {RU: `не пройдено`, EN: `not verified`},
	"verify.status.pending":  {RU: `⏳ на проверке`, EN: `⏳ under review`},
	"verify.status.approved": {RU: `✅ профиль подтверждён`, EN: `✅ verified`},
	"verify.status.rejected": {RU: `❌ фото не принято`, EN: `❌ photo not accepted`},
	"verify.hint.none": {
		RU: `Пришлите фото, на котором видны ваше лицо и студенческий билет. Его увидят только проверяющие.`,
		EN: `Send a photo showing your face and your student ID. Only the reviewers will see it.`,
	},
	"verify.hint.pending": {
		RU: `Фото на проверке, мы сообщим о результате. Можно прислать новое — тогда проверка начнётся заново.`,
		EN: `Your photo is being reviewed; we will tell you the result. You can send a new one — the review then starts over.`,
	},
	"verify.hint.approved": {
		RU: `Всё готово. Если пришлёте новое фото, профиль снова уйдёт на проверку.`,
		EN: `All set. If you send a new photo, your profile goes back to review.`,
	},
	"verify.hint.rejected": {
		RU: `Пришлите новое фото: лицо и студенческий билет должны быть хорошо видны.`,
		EN: `Please send a new photo where your face and student ID are clearly visible.`,
	},
	"verify.screen": {
		RU: `🪪 Подтверждение профиля
Статус: {{.status}}{{with .note}}
Комментарий: {{.}}{{end}}

{{.hint}}`,
		EN: `🪪 Profile verification
Status: {{.status}}{{with .note}}
Note: {{.}}{{end}}

{{.hint}}`,
	},
	"verify.ask": {
		RU: `📷 Пришлите одно фото, на котором видны ваше лицо и студенческий билет (текст на билете должен читаться). Изображение до {{.mb}} МБ.`,
		EN: `📷 Send one photo showing your face and your student ID (the text on the ID must be readable). An image up to {{.mb}} MB.`,
	},
	"verify.cancelled": {
		RU: `Хорошо, фото не отправлено.`,
		EN: `OK, no photo was sent.`,
	},
	"verify.need_photo": {
		RU: `Жду фото с лицом и студенческим билетом. Передумали — нажмите «Отменить».`,
		EN: `I am waiting for a photo with your face and student ID. Changed your mind? Press “Cancel”.`,
	},
	"verify.bad_type": {
		RU: `Нужна фотография (JPEG, PNG, WebP или GIF).`,
		EN: `Please send a picture (JPEG, PNG, WebP or GIF).`,
	},
	"verify.too_large": {
		RU: `Фото слишком большое: можно до {{.mb}} МБ.`,
		EN: `The photo is too large: up to {{.mb}} MB, please.`,
	},
	"verify.file_gone": {
		RU: `Telegram больше не отдаёт этот файл — пришлите фото ещё раз.`,
		EN: `Telegram no longer has this file — please send the photo again.`,
	},
	"verify.refused": {
		RU: `Фото не удалось сохранить: {{.reason}}`,
		EN: `The photo could not be saved: {{.reason}}`,
	},
	"verify.btn.send":   {RU: `📷 Отправить фото`, EN: `📷 Send a photo`},
	"verify.btn.resend": {RU: `📷 Прислать новое фото`, EN: `📷 Send a new photo`},
	"verify.btn.cancel": {RU: `✖️ Отменить`, EN: `✖️ Cancel`},
	"verify.btn.menu":   {RU: `🏠 Меню`, EN: `🏠 Menu`},
}
