window.YTD.account.part0 = [
  {
    "account" : {
      "email" : "",
      "createdVia" : "web",
      "username" : "AdaWhitlockHV",
      "accountId" : "900000000000000001",
      "createdAt" : "2019-05-01T09:00:00.000Z",
      "accountDisplayName" : "Ada Whitlock"
    }
  }
]
