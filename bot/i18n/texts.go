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
	"menu.scanner":      {RU: `📷 Сканер билетов`, EN: `📷 Ticket scanner`},
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

	// meetups (bot/meetups.go; the date layouts are Go time layouts)
	"meetups.fmt_datetime": {RU: `02.01.2006 15:04`, EN: `Jan 2, 2006 15:04`},
	"meetups.fmt_date":     {RU: `02.01.2006`, EN: `Jan 2, 2006`},
	"meetups.list.title": {
		RU: `📅 Ближайшие митапы{{if .paged}} (стр. {{.page}}){{end}}:`,
		EN: `📅 Upcoming meetups{{if .paged}} (page {{.page}}){{end}}:`,
	},
	"meetups.list.empty": {
		RU: `Ближайших митапов пока нет. Мы сообщим, когда появятся новые.`,
		EN: `No upcoming meetups yet. We will tell you when new ones appear.`,
	},
	"meetups.list.item": {
		RU: `{{.n}}. {{.title}}
🕒 {{.when}} · {{.seats}}{{with .mine}} · {{.}}{{end}}`,
		EN: `{{.n}}. {{.title}}
🕒 {{.when}} · {{.seats}}{{with .mine}} · {{.}}{{end}}`,
	},
	"meetups.seats.free": {
		RU: `свободно {{.free}} из {{.capacity}}`,
		EN: `{{.free}} of {{.capacity}} {{plural .capacity "seat" "seats"}} free`,
	},
	"meetups.seats.full":      {RU: `мест нет, есть лист ожидания`, EN: `full, waitlist open`},
	"meetups.seats.unlimited": {RU: `вход свободный`, EN: `no seat limit`},
	"meetups.mine.registered": {RU: `✅ вы записаны`, EN: `✅ you are registered`},
	"meetups.mine.waitlisted": {RU: `⏳ вы в листе ожидания`, EN: `⏳ you are on the waitlist`},
	"meetups.past.title": {
		RU: `Митапы, на которых вы были. Откройте, чтобы оставить отзыв:`,
		EN: `Meetups you took part in. Open one to leave feedback:`,
	},
	"meetups.past.empty": {
		RU: `Прошедших митапов с вашим участием пока нет.`,
		EN: `You have no past meetups yet.`,
	},
	"meetups.card.title":       {RU: `📅 {{.title}}`, EN: `📅 {{.title}}`},
	"meetups.card.when":        {RU: `🕒 {{.when}}{{with .until}} – {{.}}{{end}}`, EN: `🕒 {{.when}}{{with .until}} – {{.}}{{end}}`},
	"meetups.card.where":       {RU: `📍 {{.location}}`, EN: `📍 {{.location}}`},
	"meetups.card.points":      {RU: `⭐ {{.points}} {{plural .points "балл" "балла" "баллов"}} за посещение`, EN: `⭐ {{.points}} {{plural .points "point" "points"}} for attending`},
	"meetups.card.seats":       {RU: `🎟 Места: {{.seats}}`, EN: `🎟 Seats: {{.seats}}`},
	"meetups.card.agenda":      {RU: `Программа:`, EN: `Agenda:`},
	"meetups.card.agenda_item": {RU: `• {{with .at}}{{.}} — {{end}}{{.title}}{{with .speaker}} ({{.}}){{end}}`, EN: `• {{with .at}}{{.}} — {{end}}{{.title}}{{with .speaker}} ({{.}}){{end}}`},
	"meetups.status.open":      {RU: `Регистрация открыта.`, EN: `Registration is open.`},
	"meetups.status.registered": {
		RU: `✅ Вы записаны. Покажите билет (QR-код) на входе.`,
		EN: `✅ You are registered. Show your ticket (QR code) at the entrance.`,
	},
	"meetups.status.waitlisted": {
		RU: `⏳ Вы в листе ожидания, {{.position}}-й в очереди. Мы сообщим, если освободится место.`,
		EN: `⏳ You are on the waitlist, number {{.position}}. We will tell you if a seat frees up.`,
	},
	"meetups.status.cancelled":   {RU: `❌ Этот митап отменён.`, EN: `❌ This meetup is cancelled.`},
	"meetups.status.over":        {RU: `Этот митап уже прошёл.`, EN: `This meetup is over.`},
	"meetups.status.attended":    {RU: `Митап прошёл — спасибо, что пришли!`, EN: `The meetup is over — thanks for coming!`},
	"meetups.status.rated":       {RU: `Ваша оценка: {{.rating}} из 5. Спасибо!`, EN: `Your rating: {{.rating}} of 5. Thank you!`},
	"meetups.btn.register":       {RU: `✍️ Записаться`, EN: `✍️ Register`},
	"meetups.btn.waitlist":       {RU: `⏳ В лист ожидания`, EN: `⏳ Join the waitlist`},
	"meetups.btn.cancel":         {RU: `✖️ Отменить запись`, EN: `✖️ Cancel registration`},
	"meetups.btn.leave_waitlist": {RU: `✖️ Выйти из листа ожидания`, EN: `✖️ Leave the waitlist`},
	"meetups.btn.ticket":         {RU: `🎟 Мой билет`, EN: `🎟 My ticket`},
	"meetups.btn.rate":           {RU: `⭐ Оценить митап`, EN: `⭐ Rate the meetup`},
	"meetups.btn.feedback_form":  {RU: `📝 Форма отзыва`, EN: `📝 Feedback form`},
	"meetups.btn.no_comment":     {RU: `Без комментария`, EN: `No comment`},
	"meetups.btn.all":            {RU: `📅 Все митапы`, EN: `📅 All meetups`},
	"meetups.btn.past":           {RU: `🕘 Прошедшие`, EN: `🕘 Past meetups`},
	"meetups.btn.menu":           {RU: `⬅️ Меню`, EN: `⬅️ Menu`},
	"meetups.btn.prev":           {RU: `◀️ Назад`, EN: `◀️ Back`},
	"meetups.btn.next":           {RU: `Дальше ▶️`, EN: `Next ▶️`},
	"meetups.stale": {
		RU: `Эта кнопка устарела. Вот актуальный список митапов.`,
		EN: `This button is outdated. Here are the current meetups.`,
	},
	"meetups.gone": {
		RU: `Этого митапа больше нет. Вот актуальный список.`,
		EN: `This meetup is no longer available. Here is the current list.`,
	},
	"meetups.registered_toast": {RU: `Вы записаны! Билет ниже.`, EN: `You are registered! Your ticket is below.`},
	"meetups.ticket": {
		RU: `🎟 Билет на «{{.title}}», {{.when}}.
Покажите QR-код на входе. Если камера не сработает, назовите код:`,
		EN: `🎟 Your ticket for “{{.title}}”, {{.when}}.
Show the QR code at the entrance. If scanning fails, tell them the code:`,
	},
	"meetups.waitlisted_toast": {RU: `Мест нет — вы в листе ожидания.`, EN: `No seats left — you are on the waitlist.`},
	"meetups.waitlisted": {
		RU: `Все места на «{{.title}}» заняты. Вы в листе ожидания, {{.position}}-й в очереди: если место освободится, мы запишем вас и пришлём сообщение.`,
		EN: `All seats for “{{.title}}” are taken. You are on the waitlist, number {{.position}}: if a seat frees up, we will register you and send you a message.`,
	},
	"meetups.already_registered": {RU: `Вы уже записаны на этот митап.`, EN: `You are already registered for this meetup.`},
	"meetups.already_waitlisted": {RU: `Вы уже в листе ожидания.`, EN: `You are already on the waitlist.`},
	"meetups.not_registered":     {RU: `Вы не записаны на этот митап.`, EN: `You are not registered for this meetup.`},
	"meetups.ticket_waitlisted": {
		RU: `Вы в листе ожидания: билет придёт вместе с местом.`,
		EN: `You are on the waitlist: the ticket comes with a seat.`,
	},
	"meetups.cancelled_toast": {RU: `Запись отменена.`, EN: `Registration cancelled.`},
	"meetups.cancelled": {
		RU: `Запись на «{{.title}}» отменена. Передумаете — запишитесь снова, пока есть места.`,
		EN: `Your registration for “{{.title}}” is cancelled. Changed your mind? Register again while seats last.`,
	},
	"meetups.feedback_early":           {RU: `Оставить отзыв можно после митапа.`, EN: `You can leave feedback after the meetup.`},
	"meetups.feedback_not_participant": {RU: `Отзыв оставляют участники митапа.`, EN: `Feedback is for the meetup's participants.`},
	"meetups.feedback_already":         {RU: `Вы уже оценили этот митап: {{.rating}} из 5.`, EN: `You already rated this meetup: {{.rating}} of 5.`},
	"meetups.feedback_link": {
		RU: `Расскажите, как прошёл «{{.title}}», — это займёт пару минут:`,
		EN: `Tell us how “{{.title}}” went — it takes a couple of minutes:`,
	},
	"meetups.rate_prompt": {
		RU: `Как вам «{{.title}}»? Оцените от 1 до 5:`,
		EN: `How was “{{.title}}”? Rate it from 1 to 5:`,
	},
	"meetups.rated_toast": {RU: `Спасибо за оценку!`, EN: `Thanks for your rating!`},
	"meetups.comment_prompt": {
		RU: `Спасибо! Ваша оценка: {{.rating}} из 5. Хотите добавить комментарий? Напишите его одним сообщением.`,
		EN: `Thank you! Your rating: {{.rating}} of 5. Want to add a comment? Send it as one message.`,
	},
	"meetups.comment_saved":            {RU: `Комментарий сохранён. Спасибо за отзыв!`, EN: `Comment saved. Thanks for your feedback!`},
	"meetups.feedback_thanks":          {RU: `Спасибо за отзыв!`, EN: `Thanks for your feedback!`},
	"meetups.refused.meetup_cancelled": {RU: `Этот митап отменён.`, EN: `This meetup is cancelled.`},
	"meetups.refused.meetup_not_open": {
		RU: `На этот митап сейчас нельзя записаться.`,
		EN: `This meetup does not take registrations now.`,
	},
	"meetups.refused.registration_not_open": {
		RU: `Регистрация ещё не открылась. Загляните позже!`,
		EN: `Registration has not opened yet. Come back later!`,
	},
	"meetups.refused.registration_closed": {RU: `Регистрация уже закрыта.`, EN: `Registration is closed.`},
	"meetups.refused.validation_not_unique": {
		RU: `Вы уже записаны на этот митап.`,
		EN: `You are already registered for this meetup.`,
	},
	"meetups.refused.other": {
		RU: `Не получилось: {{.reason}}`,
		EN: `That did not work: {{.reason}}`,
	},

	// courses (bot/courses.go)
	"courses.list.title": {
		RU: `📚 Курсы{{if .paged}} (стр. {{.page}}){{end}}:`,
		EN: `📚 Courses{{if .paged}} (page {{.page}}){{end}}:`,
	},
	"courses.list.empty": {
		RU: `Открытых курсов пока нет. Мы сообщим, когда появятся.`,
		EN: `No open courses yet. We will tell you when there are.`,
	},
	"courses.list.item": {
		RU: `{{.n}}. {{.title}}
{{with .dates}}🗓 {{.}} · {{end}}{{.sessions}} {{plural .sessions "занятие" "занятия" "занятий"}}{{with .mine}} · {{.}}{{end}}`,
		EN: `{{.n}}. {{.title}}
{{with .dates}}🗓 {{.}} · {{end}}{{.sessions}} {{plural .sessions "session" "sessions"}}{{with .mine}} · {{.}}{{end}}`,
	},
	"courses.mine.enrolled":  {RU: `✅ вы записаны`, EN: `✅ you are enrolled`},
	"courses.mine.completed": {RU: `🎓 пройден`, EN: `🎓 completed`},
	"courses.dates.from":     {RU: `с {{.from}}`, EN: `from {{.from}}`},
	"courses.dates.until":    {RU: `до {{.to}}`, EN: `until {{.to}}`},
	"courses.card.title":     {RU: `📚 {{.title}}`, EN: `📚 {{.title}}`},
	"courses.card.dates":     {RU: `🗓 {{.dates}}`, EN: `🗓 {{.dates}}`},
	"courses.card.points": {
		RU: `⭐ {{.per_session}} {{plural .per_session "балл" "балла" "баллов"}} за занятие{{if gt .completion 0}}, {{.completion}} за завершение курса{{end}}`,
		EN: `⭐ {{.per_session}} {{plural .per_session "point" "points"}} per session{{if gt .completion 0}}, {{.completion}} for completing the course{{end}}`,
	},
	"courses.card.rule": {
		RU: `🎯 Чтобы завершить курс, посетите не меньше {{.percent}}% занятий.`,
		EN: `🎯 To complete the course, attend at least {{.percent}}% of the sessions.`,
	},
	"courses.card.places":        {RU: `👥 Места: {{.places}}`, EN: `👥 Places: {{.places}}`},
	"courses.places.free":        {RU: `свободно {{.free}}`, EN: `{{.free}} free`},
	"courses.places.full":        {RU: `мест нет`, EN: `full`},
	"courses.places.unlimited":   {RU: `без ограничений`, EN: `no limit`},
	"courses.card.schedule":      {RU: `Расписание ({{.n}}):`, EN: `Schedule ({{.n}}):`},
	"courses.card.session":       {RU: `• {{.when}}{{with .title}} — {{.}}{{end}}{{with .location}}, {{.}}{{end}}{{if .cancelled}} (отменено){{end}}`, EN: `• {{.when}}{{with .title}} — {{.}}{{end}}{{with .location}}, {{.}}{{end}}{{if .cancelled}} (cancelled){{end}}`},
	"courses.card.more_sessions": {RU: `…и ещё {{.n}}`, EN: `…and {{.n}} more`},
	"courses.card.no_schedule":   {RU: `Расписание скоро появится.`, EN: `The schedule is coming soon.`},
	"courses.status.open":        {RU: `Запись открыта.`, EN: `Enrollment is open.`},
	"courses.status.enrolled":    {RU: `✅ Вы записаны на курс.`, EN: `✅ You are enrolled.`},
	"courses.status.completed":   {RU: `🎓 Вы завершили этот курс.`, EN: `🎓 You completed this course.`},
	"courses.status.finished":    {RU: `Курс завершён.`, EN: `This course has ended.`},
	"courses.btn.enroll":         {RU: `✍️ Записаться`, EN: `✍️ Enroll`},
	"courses.btn.leave":          {RU: `✖️ Покинуть курс`, EN: `✖️ Leave the course`},
	"courses.btn.attendance":     {RU: `📊 Моя посещаемость`, EN: `📊 My attendance`},
	"courses.btn.ticket":         {RU: `🎟 Билет`, EN: `🎟 Ticket`},
	"courses.btn.all":            {RU: `📚 Все курсы`, EN: `📚 All courses`},
	"courses.btn.back":           {RU: `⬅️ К курсу`, EN: `⬅️ Back to the course`},
	"courses.stale": {
		RU: `Эта кнопка устарела. Вот актуальный список курсов.`,
		EN: `This button is outdated. Here are the current courses.`,
	},
	"courses.gone": {
		RU: `Этого курса больше нет. Вот актуальный список.`,
		EN: `This course is no longer available. Here is the current list.`,
	},
	"courses.already_enrolled": {RU: `Вы уже записаны на этот курс.`, EN: `You are already enrolled in this course.`},
	"courses.not_enrolled":     {RU: `Вы не записаны на этот курс.`, EN: `You are not enrolled in this course.`},
	"courses.enrolled_toast":   {RU: `Вы записаны на курс!`, EN: `You are enrolled!`},
	"courses.enrolled": {
		RU: `Вы записаны на курс «{{.title}}».{{with .next}} Ближайшее занятие: {{.}}.{{end}} Отмечайтесь на занятиях по билету из карточки курса.`,
		EN: `You are enrolled in “{{.title}}”.{{with .next}} Next session: {{.}}.{{end}} Get your attendance marked with the ticket from the course card.`,
	},
	"courses.left_toast": {RU: `Вы покинули курс.`, EN: `You left the course.`},
	"courses.left": {
		RU: `Вы покинули курс «{{.title}}». Отметки о посещении сохранены; вернуться можно, пока есть места.`,
		EN: `You left “{{.title}}”. Your attendance is kept; you can come back while there are places.`,
	},
	"courses.ticket": {
		RU: `🎟 Билет курса «{{.title}}». Покажите QR-код ведущему, чтобы отметиться на занятии. Код:`,
		EN: `🎟 Your ticket for “{{.title}}”. Show the QR code to the host to get marked at a session. Code:`,
	},
	"courses.att.title": {RU: `📊 Посещаемость: {{.title}}`, EN: `📊 Attendance: {{.title}}`},
	"courses.att.summary": {
		RU: `Посещено занятий: {{.attended}} из {{.held}} прошедших (всего в расписании {{.scheduled}}).
Заработано баллов: {{.points}}.`,
		EN: `Sessions attended: {{.attended}} of {{.held}} held ({{.scheduled}} scheduled).
Points earned: {{.points}}.`,
	},
	"courses.att.completed": {RU: `🎓 Курс завершён!`, EN: `🎓 Course completed!`},
	"courses.att.rule": {
		RU: `Для завершения курса нужно {{.need}} из {{.scheduled}} занятий{{if gt .left 0}}, осталось {{.left}}{{else}} — условие выполнено{{end}}.`,
		EN: `To complete the course: {{.need}} of {{.scheduled}} sessions{{if gt .left 0}}, {{.left}} to go{{else}} — done{{end}}.`,
	},
	"courses.att.session.present":   {RU: `✅ {{.when}}{{with .title}} {{.}}{{end}} — был(а)`, EN: `✅ {{.when}}{{with .title}} {{.}}{{end}} — present`},
	"courses.att.session.late":      {RU: `🕓 {{.when}}{{with .title}} {{.}}{{end}} — опоздание`, EN: `🕓 {{.when}}{{with .title}} {{.}}{{end}} — late`},
	"courses.att.session.absent":    {RU: `❌ {{.when}}{{with .title}} {{.}}{{end}} — пропуск`, EN: `❌ {{.when}}{{with .title}} {{.}}{{end}} — absent`},
	"courses.att.session.excused":   {RU: `➖ {{.when}}{{with .title}} {{.}}{{end}} — уважительная причина`, EN: `➖ {{.when}}{{with .title}} {{.}}{{end}} — excused`},
	"courses.att.session.unmarked":  {RU: `▫️ {{.when}}{{with .title}} {{.}}{{end}} — нет отметки`, EN: `▫️ {{.when}}{{with .title}} {{.}}{{end}} — not marked`},
	"courses.att.session.upcoming":  {RU: `🔜 {{.when}}{{with .title}} {{.}}{{end}}`, EN: `🔜 {{.when}}{{with .title}} {{.}}{{end}}`},
	"courses.att.session.cancelled": {RU: `🚫 {{.when}}{{with .title}} {{.}}{{end}} — отменено`, EN: `🚫 {{.when}}{{with .title}} {{.}}{{end}} — cancelled`},
	"courses.refused.course_not_open": {
		RU: `На этот курс сейчас нельзя записаться.`,
		EN: `This course does not take enrollments now.`,
	},
	"courses.refused.course_full": {RU: `На курсе нет свободных мест.`, EN: `The course is full.`},
	"courses.refused.validation_not_unique": {
		RU: `Вы уже записаны на этот курс.`,
		EN: `You are already enrolled in this course.`,
	},
	"courses.refused.validation_invalid_status": {
		RU: `Это изменение делает ведущий курса.`,
		EN: `Only the course's hosts can make this change.`,
	},
	"courses.refused.other": {
		RU: `Не получилось: {{.reason}}`,
		EN: `That did not work: {{.reason}}`,
	},
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

	// Mini App (/app/): served as raw texts by GET /api/miniapp/texts and
	// rendered by the page, so they use plain {{.name}} placeholders only.
	"miniapp.title":        {RU: `Мой questbase`, EN: `My questbase`},
	"miniapp.signing_in":   {RU: `Вход через Telegram…`, EN: `Signing in with Telegram…`},
	"miniapp.loading":      {RU: `Загрузка…`, EN: `Loading…`},
	"miniapp.retry":        {RU: `Повторить`, EN: `Retry`},
	"miniapp.offline":      {RU: `Нет связи с сервером`, EN: `No connection to the server`},
	"miniapp.error":        {RU: `Ошибка: {{.message}}`, EN: `Error: {{.message}}`},
	"miniapp.tabs.tickets": {RU: `Билеты`, EN: `Tickets`},
	"miniapp.tabs.profile": {RU: `Профиль`, EN: `Profile`},
	"miniapp.tabs.top":     {RU: `Рейтинг`, EN: `Leaderboard`},
	"miniapp.tabs.label":   {RU: `Разделы`, EN: `Sections`},
	"miniapp.scanner":      {RU: `Сканер билетов`, EN: `Ticket scanner`},
	"miniapp.reason.not_registered": {
		RU: `Вы ещё не зарегистрированы. Откройте бота, отправьте /start и заполните профиль, затем откройте приложение снова.`,
		EN: `You are not registered yet. Open the bot, send /start and fill in your profile, then open the app again.`,
	},
	"miniapp.reason.expired": {
		RU: `Данные входа устарели. Закройте приложение и откройте его снова из бота.`,
		EN: `The sign-in data has expired. Close the app and open it again from the bot.`,
	},
	"miniapp.reason.future_auth_date": {
		RU: `Часы сервера расходятся с Telegram. Попробуйте позже.`,
		EN: `The server's clock disagrees with Telegram's. Please try again later.`,
	},
	"miniapp.reason.invalid_signature": {
		RU: `Не удалось подтвердить, что приложение открыто из Telegram. Откройте его из бота.`,
		EN: `Could not confirm the app was opened from Telegram. Open it from the bot.`,
	},
	"miniapp.reason.missing_hash": {
		RU: `Не удалось подтвердить, что приложение открыто из Telegram. Откройте его из бота.`,
		EN: `Could not confirm the app was opened from Telegram. Open it from the bot.`,
	},
	"miniapp.reason.malformed": {
		RU: `Данные входа повреждены. Откройте приложение из бота.`,
		EN: `The sign-in data is damaged. Open the app from the bot.`,
	},
	"miniapp.reason.no_user": {
		RU: `Telegram не передал данные пользователя. Откройте приложение из меню бота.`,
		EN: `Telegram sent no user data. Open the app from the bot's menu.`,
	},
	"miniapp.reason.not_configured": {
		RU: `Вход через Telegram на сервере не настроен. Сообщите организаторам.`,
		EN: `Signing in with Telegram is not set up on the server. Please tell the organizers.`,
	},
	"miniapp.reason.no_data": {
		RU: `Откройте это приложение из Telegram-бота клуба (кнопка меню).`,
		EN: `Open this app from the club's Telegram bot (the menu button).`,
	},
	"miniapp.reason.session": {
		RU: `Сеанс истёк. Откройте приложение из бота снова.`,
		EN: `Your session has expired. Open the app from the bot again.`,
	},
	"miniapp.reason.offline": {RU: `Нет связи с сервером`, EN: `No connection to the server`},
	"miniapp.reason.unknown": {
		RU: `Не удалось войти. Попробуйте открыть приложение снова.`,
		EN: `Could not sign you in. Try opening the app again.`,
	},
	"miniapp.tickets.title": {RU: `Мои билеты`, EN: `My tickets`},
	"miniapp.tickets.empty": {
		RU: `Вы пока никуда не записаны. Запишитесь на митап в боте.`,
		EN: `You have not registered for anything yet. Register for a meetup in the bot.`,
	},
	"miniapp.tickets.waitlisted": {
		RU: `Вы в листе ожидания: билет появится, когда освободится место`,
		EN: `You are on the waitlist: the ticket appears when a seat frees up`,
	},
	"miniapp.tickets.live": {
		RU: `Код меняется каждые полминуты: скриншот не пройдёт. Покажите экран на входе.`,
		EN: `The code changes every half minute: a screenshot will not work. Show this screen at the door.`,
	},
	"miniapp.tickets.failed":        {RU: `Не удалось получить билет`, EN: `Could not get the ticket`},
	"miniapp.tickets.course":        {RU: `Курс: покажите код ведущему на занятии`, EN: `Course: show the code to the host at the session`},
	"miniapp.tickets.code_label":    {RU: `Код билета`, EN: `Ticket code`},
	"miniapp.profile.points":        {RU: `Очки`, EN: `Points`},
	"miniapp.profile.level":         {RU: `Уровень`, EN: `Level`},
	"miniapp.profile.rank":          {RU: `Место`, EN: `Rank`},
	"miniapp.profile.group":         {RU: `Группа`, EN: `Group`},
	"miniapp.profile.to_next":       {RU: `До уровня {{.level}}: ещё {{.n}} очк.`, EN: `{{.n}} pt to level {{.level}}`},
	"miniapp.profile.top":           {RU: `Максимальный уровень`, EN: `Top level`},
	"miniapp.verification.none":     {RU: `Не верифицирован`, EN: `Not verified`},
	"miniapp.verification.pending":  {RU: `Верификация на проверке`, EN: `Verification under review`},
	"miniapp.verification.rejected": {RU: `Верификация отклонена`, EN: `Verification rejected`},
	"miniapp.verification.approved": {RU: `Верифицирован`, EN: `Verified`},
	"miniapp.top.title":             {RU: `Рейтинг`, EN: `Leaderboard`},
	"miniapp.top.empty":             {RU: `В рейтинге пока никого`, EN: `Nobody on the leaderboard yet`},
	"miniapp.top.you":               {RU: `вы`, EN: `you`},
	"miniapp.top.your_place":        {RU: `Ваше место: {{.rank}} ({{.points}} очков)`, EN: `Your rank: {{.rank}} ({{.points}} points)`},
	"miniapp.top.place":             {RU: `Место`, EN: `Rank`},
	"miniapp.top.name":              {RU: `Участник`, EN: `Member`},
	"miniapp.top.points":            {RU: `Очки`, EN: `Points`},
}
