/**
 * Why the plan rules (app/features/plans/lifecycle.ts) refuse something: the keys are the domain's
 * refusal codes, `plan.error.*` and `item.error.*`.
 */
import type { Widen } from "~/i18n/widen";

export const planErrorsEn = {
  plan: {
    error: {
      forbidden: "Your role may not do this to a plan.",
      wrongState: "The plan is not in a state that allows this (someone may have moved it on). Reload the page.",
      changeNeedsReason: "The plan is approved: say why you change it. The reason is recorded beside the approved version.",
      returnNeedsComment: "Say what needs fixing: the head sees your comment on the plan.",
      noItems: "The plan has no items yet.",
      itemWithoutOwner: "Every item needs an owner before the plan is submitted.",
      itemWithoutDueDate: "Every item needs a due date before the plan is submitted.",
      itemDueOutsideQuarter: "The due date must fall in the plan's quarter (or up to 15 days after it ends).",
      quarterNotOver: "A plan is closed after its quarter has ended.",
      outcomeMissing: "Give every item an outcome: done, missed or carried over.",
      reviewNoteMissing: "Write a short review note for the quarter.",
    },
  },
  item: {
    error: {
      forbidden: "You may only update items you own.",
      planNotApproved: "Items are worked on once the plan is approved.",
      blockedNeedsReason: "Say what blocks the item.",
      onlyHeadCancels: "Only the department head cancels or revives an item.",
    },
  },
} as const;

export const planErrorsZhCN: Widen<typeof planErrorsEn> = {
  plan: {
    error: {
      forbidden: "您的角色不能对计划执行此操作。",
      wrongState: "计划当前的状态不允许此操作（可能已被他人推进），请刷新页面。",
      changeNeedsReason: "计划已批准：请填写变更原因，原因将与批准版本一并记录。",
      returnNeedsComment: "请说明需要修改的地方，部门负责人会在计划上看到您的意见。",
      noItems: "计划还没有任何事项。",
      itemWithoutOwner: "提交前每个事项都需要指定负责人。",
      itemWithoutDueDate: "提交前每个事项都需要截止日期。",
      itemDueOutsideQuarter: "截止日期须在本计划所属季度内（或季度结束后15天内）。",
      quarterNotOver: "季度结束后才能关闭计划。",
      outcomeMissing: "请为每个事项选择结果：完成、未完成或结转下季度。",
      reviewNoteMissing: "请填写本季度的简短总结。",
    },
  },
  item: {
    error: {
      forbidden: "您只能更新自己负责的事项。",
      planNotApproved: "计划批准后才能开始执行事项。",
      blockedNeedsReason: "请说明受阻原因。",
      onlyHeadCancels: "只有部门负责人可以取消或恢复事项。",
    },
  },
};
