window.YTD.tweets.part0 = [
  {
    "tweet" : {
      "id_str" : "1896001000000000101",
      "created_at" : "Mon Mar 02 08:15:00 +0000 2026",
      "full_text" : "The moribund ferry plan from the opposition would sink our budget before it leaves the harbour.",
      "retweeted" : false,
      "favorite_count" : "12",
      "lang" : "en"
    }
  },
  {
    "tweet" : {
      "id_str" : "1896001000000000102",
      "created_at" : "Mon Mar 02 17:40:00 +0000 2026",
      "full_text" : "Thank you to every volunteer who turned out for the beach clean on Sunday. Harbourview at its best.",
      "retweeted" : false,
      "lang" : "en"
    }
  },
  {
    "tweet" : {
      "id_str" : "1896001000000000103",
      "created_at" : "Tue Mar 03 09:05:00 +0000 2026",
      "full_text" : "RT @HarbourviewBC: Budget meeting on Wednesday 4 March at 6.30pm in the Assembly Rooms &amp; online.",
      "retweeted" : true,
      "lang" : "en"
    }
  },
  {
    "tweet" : {
      "id_str" : "1896001000000000104",
      "created_at" : "Tue Mar 03 12:20:00 +0000 2026",
      "full_text" : "@TomBeckHV Our sums are published in full. Read them before you tweet about them.",
      "in_reply_to_status_id_str" : "1896000900000000001",
      "in_reply_to_user_id_str" : "900000000000000002",
      "in_reply_to_screen_name" : "TomBeckHV",
      "retweeted" : false,
      "lang" : "en"
    }
  }
]
