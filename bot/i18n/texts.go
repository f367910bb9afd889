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
}
