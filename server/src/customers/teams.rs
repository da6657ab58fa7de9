//! The people of a customer's project: members see each other, invite colleagues by a mailed
//! link bound to the invited address, and owners remove members.

use app::api::ports::CustomerTeams;
use app::error::AppError;
use app::i18n::Locale;
use app::model::{Customer, Team, TeamMember};
use async_trait::async_trait;

use super::{DbCustomers, INVITE_LINK_MS, MAX_OPEN_INVITES, customer_email};
use crate::accounts::limits;
use crate::accounts::{new_token, token_hash};
use crate::db::{jobs, now_ms, teams};

#[async_trait]
impl CustomerTeams for DbCustomers {
    async fn team(&self, customer: &Customer, subscription_id: &str) -> Result<Team, AppError> {
        let pool = self.db.pool();
        let (project_id, role) =
            teams::membership(pool, &customer.id, subscription_id).await?.ok_or(AppError::NotFound)?;
        let members = teams::members(pool, &project_id).await?;
        let invited = teams::open_invites(pool, &project_id).await?;
        Ok(Team {
            members: members
                .into_iter()
                .map(|(customer_id, email, role)| TeamMember { customer_id, email, owner: role == "owner" })
                .collect(),
            invited,
            can_remove: role == "owner",
            project_id,
        })
    }

    async fn invite(
        &self,
        customer: &Customer,
        subscription_id: &str,
        email: &str,
        locale: Locale,
        address: &str,
    ) -> Result<(), AppError> {
        let email = customer_email(email)?;
        let pool = self.db.pool();
        let (project_id, _) =
            teams::membership(pool, &customer.id, subscription_id).await?.ok_or(AppError::NotFound)?;
        limits::take(pool, &format!("invite:address:{address}"), limits::INVITES_PER_ADDRESS).await?;
        limits::take_mail(pool, &email, address).await?;
        if teams::open_invites(pool, &project_id).await?.len() >= MAX_OPEN_INVITES {
            return Err(AppError::conflict(
                "This project has many open invitations; wait until some are accepted.",
            ));
        }
        let (link, link_hash) = new_token();
        let mail = crate::mail::Mail::invite(
            locale,
            &email,
            &customer.email,
            &format!("{}/my/invite?token={link}", self.origin),
        );
        let mut tx = crate::db::begin(pool).await?;
        teams::insert_invite(
            &mut *tx,
            &link_hash,
            &project_id,
            &email,
            &customer.id,
            now_ms() + INVITE_LINK_MS,
        )
        .await?;
        jobs::enqueue(&mut *tx, &mail.job()).await?;
        tx.commit().await?;
        tracing::info!(customer = %customer.id, project = %project_id, "team member invited");
        Ok(())
    }

    async fn remove_member(
        &self,
        customer: &Customer,
        subscription_id: &str,
        member_id: &str,
    ) -> Result<(), AppError> {
        let pool = self.db.pool();
        let (project_id, role) =
            teams::membership(pool, &customer.id, subscription_id).await?.ok_or(AppError::NotFound)?;
        if role != "owner" {
            return Err(AppError::Forbidden);
        }
        if !teams::remove_member(pool, &project_id, member_id).await? {
            return Err(AppError::NotFound);
        }
        tracing::info!(customer = %customer.id, project = %project_id, member = %member_id, "team member removed");
        Ok(())
    }

    async fn invite_info(&self, token: &str) -> Result<Option<app::model::InviteInfo>, AppError> {
        let found = teams::invite_details(self.db.pool(), &token_hash(token)).await?;
        Ok(found.map(|(project_id, invited_email)| app::model::InviteInfo { project_id, invited_email }))
    }

    async fn accept_invite(&self, customer: &Customer, token: &str) -> Result<(), AppError> {
        let pool = self.db.pool();
        let hash = token_hash(token);
        let unusable = || AppError::invalid("token", "This invitation is used, expired or unknown.");
        let (_, invited) = teams::invite_details(pool, &hash).await?.ok_or_else(unusable)?;
        // Bound to the invited address, confirmed: whoever else holds the link cannot use it,
        // and it stays open for the person it was sent to.
        if !invited.eq_ignore_ascii_case(&customer.email) || !customer.verified {
            tracing::warn!(customer = %customer.id, "an invitation for another address was refused");
            return Err(AppError::invalid(
                "token",
                "This invitation was sent to another address: sign in with that address to accept it.",
            ));
        }
        let project_id = teams::use_invite(pool, &hash).await?.ok_or_else(unusable)?;
        teams::link_project(pool, &customer.id, &project_id, "member").await?;
        tracing::info!(customer = %customer.id, project = %project_id, "invitation accepted");
        Ok(())
    }
}
