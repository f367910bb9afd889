package miniapp_test

import (
	"fmt"
	"net/url"
	"strconv"
	"testing"
	"time"

	"questbase/hooks/miniapp"
	"questbase/hooks/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

const testToken = "123456:TEST-bot-token"

// initData builds what Telegram hands a Mini App opened by the user with
// telegramID, signed for the bot with token.
func initData(token string, telegramID int64, authDate time.Time) string {
	fields := url.Values{
		"query_id":  {"AAHdF6IQAAAAAN0XohDhrOrc"},
		"user":      {fmt.Sprintf(`{"id":%d,"first_name":"Анна","last_name":"Иванова","username":"anna_i","language_code":"ru","allows_write_to_pm":true}`, telegramID)},
		"auth_date": {strconv.FormatInt(authDate.Unix(), 10)},
	}
	fields.Set("hash", miniapp.Sign(fields, token))
	return fields.Encode()
}
