/**
 * Every piece of text the user sees, in Simplified Chinese. Templates read them through page data
 * (`t` in each page), so changing a word here changes it everywhere.
 */
export const strings = {
  appName: "mpchat",

  login: {
    title: "登录",
    wechatButton: "微信一键登录",
    wechatBusy: "正在登录…",
    devTitle: "开发登录",
    devHint: "服务器开启了开发登录：选一个名字，或输入用户 ID",
    devUserIdPlaceholder: "用户 ID（字母、数字、_ 或 -）",
    devNamePlaceholder: "昵称（可不填）",
    devButton: "以此身份登录",
    devDisabled: "服务器未开启开发登录",
    invalidUserId: "用户 ID 只能包含字母、数字、_ 和 -，最长 64 个字符",
    failed: "登录失败，请稍后再试",
    networkFailed: "无法连接服务器，请检查网络",
    wechatLoginFailed: "无法获取微信登录凭证",
    expired: "登录已过期，请重新登录",
  },

  /** Answers of WeChat's code2Session, keyed by errcode, as the server passes them on. */
  wechatErrors: {
    "40029": "登录凭证无效，请重新登录",
    "40163": "登录凭证已被使用，请重新登录",
    "45011": "登录太频繁，请稍后再试",
    "40226": "该微信账号已被限制登录",
    "-1": "微信服务繁忙，请稍后再试",
  } as Readonly<Record<string, string>>,

  conversations: {
    title: "消息",
    empty: "还没有会话，和朋友打个招呼吧",
    noMessages: "暂无消息",
    startDirect: "发起单聊",
    peerIdPlaceholder: "对方的用户 ID",
    createGroup: "创建群聊",
    groupTitlePlaceholder: "群名称",
    groupMembersPlaceholder: "成员用户 ID，用逗号或空格分隔",
    confirm: "确定",
    cancel: "取消",
    createFailed: "创建会话失败",
    peerRequired: "请输入对方的用户 ID",
    groupTitleRequired: "请输入群名称",
    logout: "退出登录",
    /** Share card of "chat with me" (Invite a friend to chat). */
    inviteFriend: "邀请好友聊天",
    /** The profile entry (Me). */
    me: "我",
    unreadOverflow: "99+",
    groupTag: "群",
    /** Before the preview while someone mentioned the user and it is unread (red). */
    mentioned: "[有人@我]",
    /** Before the preview while a draft waits in the chat. */
    draft: "[草稿]",
  },

  chat: {
    inputPlaceholder: "输入消息",
    send: "发送",
    pending: "发送中",
    failed: "发送失败",
    retry: "重试",
    /** The "···" panel of a direct chat: the other person and the block switch. */
    peer: {
      block: "加入黑名单",
      blockConfirm: (name: string) => `加入黑名单后，你将不再收到${name}的消息`,
      failed: "操作失败",
      loadFailed: "加载失败",
      close: "关闭",
    },
    /** Under an own bubble the content check refused: not sent, and retrying would be refused again. */
    rejected: "内容违规，未发送",
    read: "已读",
    unread: "未读",
    readBy: (count: number) => `${count}人已读`,
    /** A group's navigation bar title: its name and member count, as WeChat shows it. */
    groupTitle: (title: string, count: number) => {
      // The bar fits ~10 characters: cut the name, never the count (WeChat does the same).
      const chars = Array.from(title);
      return `${chars.length > 9 ? `${chars.slice(0, 8).join("")}…` : title}(${count})`;
    },
    typingDirect: "对方正在输入…",
    typingGroup: (who: string) => `${who} 正在输入…`,
    loadingOlder: "正在加载更早的消息…",
    noOlder: "没有更早的消息了",
    loadOlderFailed: "加载失败，点击重试",
    empty: "发一条消息开始聊天吧",
    tooLong: (max: number) => `消息太长了（最多 ${max} 个字）`,
    /** "Unsupported message type, please update the mini program": a body kind from a newer server. */
    unsupported: "[暂不支持的消息类型，请升级小程序]",
    /** "[Image]": an image message in a preview. */
    imagePreview: "[图片]",
    /** "[Voice] 3″": a voice message and its length in seconds. */
    voicePreview: (seconds: number) => `[语音] ${seconds}″`,
    /** "[File] name": a file message and its name. */
    filePreview: (name: string) => `[文件] ${name}`,
    /** The input bar: hold-to-talk and its overlay, as WeChat words them. */
    holdToTalk: "按住 说话",
    releaseToSend: "松开 发送",
    slideUpToCancel: "手指上划，取消发送",
    releaseToCancel: "松开手指，取消发送",
    voiceTooShort: "说话时间太短",
    recordFailed: "录音失败，请检查麦克风权限",
    /** The "+" panel. */
    album: "相册",
    camera: "拍摄",
    chatFile: "文件",
    pickFailed: "无法选择文件",
    emojiDelete: "删除",
    /** Switches of the input bar (read by screen readers). */
    voiceInput: "语音输入",
    keyboardInput: "键盘输入",
    emojiButton: "表情",
    moreButton: "更多功能",
    fileOpening: "正在打开…",
    fileOpenFailed: "文件下载失败",
    fileCannotOpen: "无法打开此类文件",
    /** The upload of a picked file failed for good: tap the mark to upload it again. */
    uploadFailed: "上传失败",
    /** A recall message and a recalled message's tombstone (names quoted, as in `system`). */
    recall: {
      /** "alice recalled a message": the sender took their own message back. */
      bySender: (who: string) => `${who}撤回了一条消息`,
      /** The group's owner or an admin took back someone's message. */
      byAdmin: (who: string) => `${who}撤回了一条成员消息`,
      /** An operator removed it. */
      byModeration: "[该消息已被撤回]",
      /** A recalled message whose recall this client has not seen. */
      recalled: "[消息已撤回]",
      /** Your own recall, as WeChat words it. */
      byMe: "你撤回了一条消息",
      /** After your own recent text recall: puts the text back into the input. */
      reedit: "重新编辑",
    },
    /** The long-press menu of a bubble. */
    actions: {
      copy: "复制",
      reply: "回复",
      recall: "撤回",
      deleteForMe: "删除",
      report: "投诉",
      copied: "已复制",
      recallFailed: "撤回失败",
      recallTooLate: "发送时间超过2分钟的消息，不能被撤回",
      reportReasons: ["色情低俗", "政治敏感", "欺诈骗钱", "违法犯罪", "骚扰辱骂", "其他"] as const,
      reportSent: "已提交",
      reportFailed: "投诉失败",
      deleteConfirm: "删除后将不会出现在你的消息记录中",
    },
    /** The quoted message above a reply (and above the input while replying). */
    replyQuote: (name: string, preview: string) => `${name}：${preview}`,
    replyingTo: (name: string) => `回复 ${name}`,
    cancelReply: "取消回复",
    /** The @ picker of a group. */
    mentionPicker: "选择提醒的人",
    mentionAll: "所有人",
    /** An open chat of a group the user left or was removed from. */
    removedNotice: "你已不在该群聊中",
    dissolvedNotice: "该群聊已解散",
    mutedNotice: "全员禁言中",
    /** This member is muted (by the owner or an admin) until it ends. */
    selfMutedNotice: "你已被禁言",
    groupInfo: "聊天信息",
    /** How lines name the user themself ("你撤回了一条消息"). */
    you: "你",
    /** System messages (group changes), WeChat's wording: names come quoted (“bob”), 你 bare, no spaces. */
    system: {
      membersAdded: (who: string, whom: string) => `${who}邀请${whom}加入了群聊`,
      memberRemoved: (who: string, whom: string) => `${who}将${whom}移出了群聊`,
      memberLeft: (who: string) => `${who}退出了群聊`,
      titleChanged: (who: string, title: string) => `${who}修改群名为“${title}”`,
      announcementChanged: (who: string) => `${who}修改了群公告`,
      ownerChanged: (whom: string) => `${whom}已成为新群主`,
      adminsChanged: (whom: string, admin: boolean) => (admin ? `${whom}被设为管理员` : `${whom}不再是管理员`),
      muted: (whom: string) => `${whom}被禁言`,
      unmuted: (whom: string) => `${whom}被解除禁言`,
      mutedAll: (who: string) => `${who}开启了全员禁言`,
      unmutedAll: (who: string) => `${who}关闭了全员禁言`,
      dissolved: (who: string) => `${who}解散了群聊`,
    },
  },

  group: {
    title: (count: number) => `聊天信息(${count})`,
    owner: "群主",
    admin: "管理员",
    add: "添加",
    remove: "移除",
    name: "群聊名称",
    announcement: "群公告",
    noAnnouncement: "未设置",
    editName: "修改群聊名称",
    editAnnouncement: "编辑群公告",
    pin: "置顶聊天",
    muteNotifications: "消息免打扰",
    muteAll: "全员禁言",
    leave: "删除并退出",
    dissolve: "解散群聊",
    transfer: "转让群主",
    setAdmin: "设为管理员",
    unsetAdmin: "取消管理员",
    addPlaceholder: "要添加的用户 ID，用空格分开",
    leaveConfirm: "退出后不会再收到此群聊的消息",
    dissolveConfirm: "解散后所有成员将无法在此群聊中发言",
    transferConfirm: (name: string) => `确定将群主转让给 ${name}？`,
    removeConfirm: (name: string) => `确定将 ${name} 移出群聊？`,
    failed: "操作失败",
    onlyOwnerOrAdmin: "只有群主或管理员可以修改",
  },

  profile: {
    title: "设置头像和昵称",
    editTitle: "个人资料",
    hint: "让朋友认出你：选一个头像，填一个昵称",
    avatar: "头像",
    chooseAvatar: "点击选择头像",
    nickname: "昵称",
    nicknamePlaceholder: "请输入昵称",
    nameRequired: "请填写昵称",
    nameTooLong: "昵称最多 32 个字",
    save: "保存",
    skip: "跳过",
    saved: "已保存",
    saveFailed: "保存失败",
    uploadFailed: "头像上传失败，请重试",
    logout: "退出登录",
    privacyDeclined: "未同意隐私保护指引，暂时无法选择头像；可以先只填昵称",
  },

  /** Our own popup before the first privacy API (chooseAvatar), as WeChat requires since 2023-09. */
  privacy: {
    title: "用户隐私保护提示",
    body: "选择头像前，请阅读并同意",
    guide: "《mpchat 隐私保护指引》",
    bodyEnd: "。我们只用你选的头像和昵称让朋友认出你。",
    agree: "同意",
    decline: "拒绝",
    /** The same popup in a chat, before the first picture, recording or file. */
    chatBody: "发送图片、语音和文件前，请阅读并同意",
    chatBodyEnd: "。你选的图片、录下的语音和文件只发给这个会话的成员。",
    chatDeclined: "未同意隐私保护指引，暂时无法发送图片、语音和文件",
  },

  invite: {
    title: "邀请",
    shareDirect: (name: string) => (name ? `${name} 邀请你聊天` : "邀请好友聊天"),
    shareGroup: (title: string) => `邀请你加入群聊「${title}」`,
    inviteToGroup: "邀请加入群聊",
    directLine: "邀请你一起聊天",
    groupLine: "邀请你加入群聊",
    members: (count: number) => `${count} 人`,
    join: "加入群聊",
    startChat: "开始聊天",
    joining: "正在加入…",
    loading: "正在加载邀请…",
    expired: "邀请已过期或已被撤销，请让对方重新分享",
    failed: "加入失败",
    own: "这是你发出的邀请",
    home: "返回消息列表",
    reload: "重新加载",
  },

  connection: {
    connecting: "正在连接…",
    offline: "网络已断开，正在重新连接…",
  },

  time: {
    yesterday: "昨天",
  },

  /** Why a request failed, by the client's error code. */
  errors: {
    bad_request: "输入有误",
    unauthorized: "登录已过期",
    forbidden: "没有权限",
    not_found: "找不到该用户或会话",
    conflict: "操作冲突，请重试",
    too_large: "内容太长",
    rate_limited: "操作太频繁，请稍后再试",
    unavailable: "服务器暂时不可用",
    internal: "服务器出错了",
    timeout: "请求超时",
    connection_lost: "连接已断开",
    closed: "已取消",
    network: "网络不可用",
  } as Readonly<Record<string, string>>,
  unknownError: "出错了，请稍后再试",
} as const;

export type Strings = typeof strings;
